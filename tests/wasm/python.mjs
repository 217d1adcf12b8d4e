// Python for the code tests: the page's snippets parsed with `ast`, and its NumPy scripts run for
// many seeds.
import { execFileSync } from 'node:child_process';

/** Runs `source` with `stdin`; returns what it printed. */
export const python = (source, stdin = '') => execFileSync('python3', ['-c', source], { input: stdin, encoding: 'utf8', maxBuffer: 1 << 26 });

/** Each `{ name, text }` snippet that is not valid Python, as "name: error". */
export function syntaxErrors(snippets) {
  return JSON.parse(python(`
import ast, json, sys
out = []
for s in json.load(sys.stdin):
    try:
        ast.parse(s["text"])
    except SyntaxError as e:
        out.append(s["name"] + ": " + str(e))
print(json.dumps(out))
`, JSON.stringify(snippets)));
}

/**
 * Runs a script whose `seed = 0 ` line picks its seed, for seeds 0 … n − 1, and returns each run's
 * printed lines after the first (the CSV header), split at commas.
 */
export function runSeeds(script, n) {
  return JSON.parse(python(`
import contextlib, io, json, sys
script = sys.stdin.read()
runs = []
for seed in range(${n}):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(script.replace("seed = 0 ", f"seed = {seed} ", 1), {"__name__": "__main__"})
    runs.append([line.split(",") for line in buffer.getvalue().strip().split("\\n")[1:]])
print(json.dumps(runs))
`, script));
}
