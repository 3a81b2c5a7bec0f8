#!/usr/bin/env node
// Offline interface check for Terraform directories, which also covers those that `terraform validate` cannot
// reach without the hashicorp/helm provider (no registry, no RICOCHET_TERRAFORM_PLUGIN_DIR). It is NOT validate: it reads the canonical
// layout `terraform fmt` enforces and checks only names, across files and module boundaries:
//   - every var.X, local.X and module.X used in a directory is declared there, and every variable is used;
//   - every argument of a module call is a variable of the called module, and every required variable is set;
//   - every module.X.Y read is an output of module X.
// Usage: node check-interfaces.mjs <dir>...   Exit 1 on the first directory with problems, listing them all.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/** The .tf files of a directory, comments removed (whole-line # and // comments; fmt keeps them on their own). */
function readModule(dir) {
  const files = readdirSync(dir).filter((name) => name.endsWith('.tf'));
  const text = files
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('\n')
    .split('\n')
    .filter((line) => !/^\s*(#|\/\/)/.test(line))
    .join('\n')
    // moved {} blocks name addresses of the past (migrations.tf), which need not exist any more.
    .replace(/^moved \{\n[\s\S]*?^\}\n?/gm, '');
  return { dir, files, text };
}

/** Top-level blocks `<type> "<name>" {` ... `}` (fmt puts the closing brace alone in column 0). */
function blocks(text, type) {
  const found = [];
  const pattern = new RegExp(`^${type} "([^"]+)" \\{\\n([\\s\\S]*?)^\\}`, 'gm');
  for (const match of text.matchAll(pattern)) found.push({ name: match[1], body: match[2] });
  return found;
}

/** Attribute names set directly in a block body (two-space indent, as fmt writes them). */
function arguments_(body) {
  return [...body.matchAll(/^ {2}([a-z_][a-z0-9_]*)\s*=/gm)].map((match) => match[1]);
}

function interfaceOf(dir) {
  const module = readModule(dir);
  const variables = blocks(module.text, 'variable').map(({ name, body }) => ({
    name,
    required: !/^ {2}default\s*=/m.test(body),
  }));
  const outputs = blocks(module.text, 'output').map(({ name }) => name);
  const locals = [...module.text.matchAll(/^locals \{\n([\s\S]*?)^\}/gm)].flatMap((match) => arguments_(match[1]));
  const calls = blocks(module.text, 'module').map(({ name, body }) => ({
    name,
    source: /^ {2}source\s*=\s*"([^"]+)"/m.exec(body)?.[1],
    args: arguments_(body).filter((arg) => !META_ARGUMENTS.has(arg)),
  }));
  return { ...module, variables, outputs, locals, calls };
}

function check(dir) {
  const problems = [];
  const self = interfaceOf(dir);
  if (self.files.length === 0) return [`${dir}: no .tf files`];
  const declared = (kind, list, name) =>
    list.includes(name) || problems.push(`${kind}.${name} is used but not declared`);

  const variableNames = self.variables.map((v) => v.name);
  const usedVariables = new Set([...self.text.matchAll(/\bvar\.([a-z_][a-z0-9_]*)/g)].map((m) => m[1]));
  for (const name of usedVariables) declared('var', variableNames, name);
  for (const name of variableNames) {
    if (!usedVariables.has(name)) problems.push(`variable "${name}" is declared but never used`);
  }
  for (const name of new Set([...self.text.matchAll(/\blocal\.([a-z_][a-z0-9_]*)/g)].map((m) => m[1]))) {
    declared('local', self.locals, name);
  }

  const callees = new Map();
  for (const call of self.calls) {
    if (!call.source?.startsWith('.')) {
      problems.push(`module "${call.name}": only local sources are checked, got ${call.source}`);
      continue;
    }
    const callee = interfaceOf(resolve(dir, call.source));
    callees.set(call.name, callee);
    const calleeVariables = callee.variables.map((v) => v.name);
    for (const arg of call.args) {
      if (!calleeVariables.includes(arg))
        problems.push(`module "${call.name}" sets ${arg}, which ${call.source} does not declare`);
    }
    for (const variable of callee.variables) {
      if (variable.required && !call.args.includes(variable.name)) {
        problems.push(`module "${call.name}" does not set ${variable.name}, which ${call.source} requires`);
      }
    }
  }
  for (const match of self.text.matchAll(/\bmodule\.([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)/g)) {
    const [, name, output] = match;
    const callee = callees.get(name);
    if (!callee) problems.push(`module.${name} is used but not declared`);
    else if (!callee.outputs.includes(output))
      problems.push(`module.${name}.${output}: ${name} has no output "${output}"`);
  }
  return [...new Set(problems)].map((problem) => `${dir}: ${problem}`);
}

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: check-interfaces.mjs <dir>...');
  process.exit(2);
}
let failed = false;
for (const dir of dirs) {
  const problems = check(dir);
  if (problems.length === 0) {
    const { variables, outputs, calls } = interfaceOf(dir);
    console.log(
      `interfaces: ok  ${dir} (${variables.length} variables, ${outputs.length} outputs, module calls: ${calls.map((c) => c.name).join(', ') || 'none'})`,
    );
  } else {
    failed = true;
    for (const problem of problems) console.error(`interfaces: FAIL ${problem}`);
  }
}
process.exit(failed ? 1 : 0);
