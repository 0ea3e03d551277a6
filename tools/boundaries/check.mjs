#!/usr/bin/env node
// Fails when a project breaks an architectural boundary declared in rules.json:
// a tagged project depending on a project with a forbidden tag (from Nx's
// project graph, plus relative imports that reach into another project), or
// importing a banned module (scanned from the sources, since Nx does not graph
// Node built-ins such as node:net).
//
// Usage: node tools/boundaries/check.mjs [--workspace DIR]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const wsIndex = args.indexOf('--workspace');
const workspace = path.resolve(wsIndex >= 0 ? args[wsIndex + 1] : path.join(here, '..', '..'));
const rules = JSON.parse(readFileSync(path.join(workspace, 'tools/boundaries/rules.json'), 'utf8')).rules;

function projectGraph() {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-graph-'));
  const file = path.join(dir, 'graph.json');
  const nxBin = path.join(here, '..', '..', 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
  try {
    execFileSync(process.execPath, [nxBin, 'graph', `--file=${file}`], {
      cwd: workspace,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return JSON.parse(readFileSync(file, 'utf8')).graph;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SOURCE = /\.(m|c)?(t|j)sx?$/;
function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (SOURCE.test(entry)) yield full;
  }
}

// Static imports and re-exports (bindings may hold `$` and, inside braces, comments and line
// breaks), dynamic import() and require() of a string or a template literal without `${`.
const BINDINGS = String.raw`(?:type\s+)?[\w$*\s,]*(?:\{[^}]*\}[\w$*\s,]*)?`;
const IMPORT = new RegExp(
  String.raw`(?:^|[^.\w$])(?:import\s+(?:${BINDINGS}\s+from\s+)?|export\s+${BINDINGS}\s+from\s+|import\s*\(\s*|require\s*\(\s*)(?:'([^']+)'|"([^"]+)"|\x60([^\x60$]+)\x60)`,
  'g',
);
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const found = [];
  for (const m of text.matchAll(IMPORT)) {
    const line = text.slice(0, m.index).split('\n').length;
    found.push({ spec: m[1] ?? m[2] ?? m[3], line });
  }
  return found;
}

function matches(pattern, spec) {
  if (pattern.endsWith('/*')) return spec.startsWith(pattern.slice(0, -1));
  return spec === pattern || spec.startsWith(pattern + '/');
}

const graph = projectGraph();
const projects = Object.values(graph.nodes).map((n) => ({
  name: n.name,
  root: path.join(workspace, n.data.root),
  tags: n.data.tags ?? [],
}));
const byName = new Map(projects.map((p) => [p.name, p]));
const owner = (file) =>
  projects
    .filter((p) => file === p.root || file.startsWith(p.root + path.sep))
    .sort((a, b) => b.root.length - a.root.length)[0];

const violations = [];
for (const project of projects) {
  const applicable = rules.filter((r) => project.tags.includes(r.tag));
  if (applicable.length === 0) continue;
  const forbiddenTarget = (target) =>
    applicable.find((r) => (r.mayNotDependOnTags ?? []).some((t) => target.tags.includes(t)));

  for (const dep of graph.dependencies[project.name] ?? []) {
    const target = byName.get(dep.target);
    const rule = target && forbiddenTarget(target);
    if (rule)
      violations.push(
        `${project.name} depends on ${target.name} (${rule.tag} may not depend on ${rule.mayNotDependOnTags.join(', ')}: ${rule.why})`,
      );
  }

  // Only shipped code is held to the rules: tests may use the file system to run real tools.
  const src = path.join(project.root, 'src');
  if (!existsSync(src)) continue;
  for (const file of sourceFiles(src)) {
    const rel = path.relative(workspace, file);
    for (const { spec, line } of importsOf(file)) {
      if (spec.startsWith('.')) {
        const target = owner(path.resolve(path.dirname(file), spec));
        const rule = target && target !== project && forbiddenTarget(target);
        if (rule)
          violations.push(
            `${rel}:${line} imports ${spec} from ${target.name} (${rule.tag} may not depend on ${rule.mayNotDependOnTags.join(', ')}: ${rule.why})`,
          );
        continue;
      }
      for (const rule of applicable) {
        const banned = (rule.bannedImports ?? []).find((p) => matches(p, spec));
        if (banned) violations.push(`${rel}:${line} imports '${spec}' (banned in ${rule.tag}: ${rule.why})`);
      }
    }
  }
}

if (violations.length > 0) {
  console.error(`boundaries: ${violations.length} violation(s)`);
  for (const v of [...new Set(violations)]) console.error(`  ${v}`);
  process.exit(1);
}
console.log(`boundaries: ${projects.length} project(s) checked, no violations`);
