// facts.py (runs inside the user's Python): top-level imports and where each imported name is used.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateImport, type ImportFacts } from '../../src/analysis/locate.js';
import type { FileFacts } from '../../src/python/protocol.js';
import { readSamTemplate } from '../../src/sam/template.js';
import { fixtures, repoRoot } from '../support/cli.js';

const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
const factsPy = join(repoRoot, 'src', 'python', 'facts.py');

function facts(moduleName: string, file: string): FileFacts {
  const code = [
    'import importlib.util, json, sys',
    `spec = importlib.util.spec_from_file_location("f", ${JSON.stringify(factsPy)})`,
    'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
    `print(json.dumps(m.file_facts(${JSON.stringify(moduleName)}, ${JSON.stringify(file)})))`,
  ].join('\n');
  return JSON.parse(execFileSync(python, ['-c', code], { encoding: 'utf8' })) as FileFacts;
}

describe('facts.py', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lc-facts-'));
    mkdirSync(join(dir, 'pkg'));
    writeFileSync(join(dir, 'pkg', 'sibling.py'), '');
    writeFileSync(
      join(dir, 'pkg', 'mod.py'),
      [
        'import os', // 1 used at module level (os.environ below)
        'import json as j', // 2 used only in a function
        'import csv', // 3 never used
        'from . import sibling', // 4 relative, used in a decorator (module level)
        'from .deep import helper', // 5 used in a default value (module level)
        'import typing_mod', // 6 used in an annotation (module level without PEP 563)
        'try:',
        '    import fastjson', // 8 inside try at top level: still top level
        'except ImportError:',
        '    fastjson = None', // (the fallback assignment is not a use)
        'import exported', // 11 re-exported through __all__
        'import boto3', // 12
        'import in_class', // 13 used in a class body (runs at import)
        '__all__ = ["exported"]',
        'ENV = os.environ.get("X")',
        's3 = boto3.client("s3")',
        'class C:',
        '    attr = in_class.VALUE',
        '    def m(self):',
        '        return fastjson',
        '@sibling.decorate',
        'def handler(event, context, default=helper.DEFAULT) -> typing_mod.T:',
        '    import lazy_inside',
        '    return j.dumps(event)',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('classifies every top-level import by where its names are read', () => {
    const f = facts('pkg.mod', join(dir, 'pkg', 'mod.py'));
    expect(f.error).toBeNull();
    const uses = Object.fromEntries(f.imports.map((i) => [i.module, [i.line, i.uses, i.firstUseLine]]));
    expect(uses).toEqual({
      os: [1, 'module-level', 15],
      json: [2, 'functions', 24],
      csv: [3, 'none', null],
      'pkg.sibling': [4, 'module-level', 21],
      'pkg.deep': [5, 'module-level', 22],
      typing_mod: [6, 'module-level', 22],
      fastjson: [8, 'functions', 20],
      exported: [11, 'module-level', null],
      boto3: [12, 'module-level', 16],
      in_class: [13, 'module-level', 18],
    });
    // imports inside functions are already deferred: not listed
    expect(f.imports.some((i) => i.module === 'lazy_inside')).toBe(false);
  });

  it('finds clients built at module level', () => {
    const f = facts('pkg.mod', join(dir, 'pkg', 'mod.py'));
    expect(f.clients).toEqual([{ line: 16, call: 'boto3.client', service: 's3' }]);
  });

  it('treats a package __init__ importing its own submodules as a re-export, and survives unparsable files', () => {
    writeFileSync(join(dir, 'pkg', '__init__.py'), 'from pkg import mod\nfrom . import other\n');
    const init = facts('pkg', join(dir, 'pkg', '__init__.py'));
    writeFileSync(join(dir, 'pkg', 'other.py'), '');
    const init2 = facts('pkg', join(dir, 'pkg', '__init__.py'));
    expect(init2.imports.map((i) => [i.module, i.uses])).toEqual([
      ['pkg.mod', 'module-level'],
      ['pkg.other', 'module-level'],
    ]);
    expect(init.imports.map((i) => i.module)).toEqual(['pkg.mod', 'pkg']);
    writeFileSync(join(dir, 'broken.py'), 'def (:\n');
    const broken = facts('broken', join(dir, 'broken.py'));
    expect(broken.error).toMatch(/^SyntaxError/);
    expect(broken.imports).toEqual([]);
  });
});

describe('facts.py collect(): code that runs at import across the user\'s modules', () => {
  it('counts reads inside functions and __init__ methods that module-level code calls, here or from another module', () => {
    const root = mkdtempSync(join(tmpdir(), 'lc-facts-collect-'));
    mkdirSync(join(root, 'app'));
    writeFileSync(join(root, 'app', '__init__.py'), '');
    writeFileSync(
      join(root, 'app', 'store.py'),
      [
        'import colorsys', // 1: read in Store.__init__, which handler.py runs at import
        'import csv', // 2: read in Store.get only
        'import json', // 3: read in helper(), called by configure(), called at module level below
        'import html', // 4: read in unused_fn only
        'class Store:',
        '    def __init__(self):',
        '        self.x = colorsys.rgb_to_hsv(0, 0, 0)',
        '    def get(self):',
        '        return csv.QUOTE_ALL',
        'def helper():',
        '    return json.dumps({})',
        'def configure():',
        '    return helper()',
        'def unused_fn():',
        '    return html.escape("")',
        'CONFIG = configure()',
        '',
      ].join('\n'),
    );
    writeFileSync(join(root, 'handler.py'), 'from app.store import Store\nstore = Store()\n');
    const code = [
      'import importlib.util, json, sys',
      `sys.path.insert(0, ${JSON.stringify(root)})`,
      'import handler',
      `spec = importlib.util.spec_from_file_location("f", ${JSON.stringify(factsPy)})`,
      'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
      `print(json.dumps(m.collect(${JSON.stringify(root)})))`,
    ].join('\n');
    const all = JSON.parse(execFileSync(python, ['-c', code], { encoding: 'utf8' })) as FileFacts[];
    rmSync(root, { recursive: true, force: true });
    const store = all.find((f) => f.module === 'app.store') as FileFacts;
    expect(Object.fromEntries(store.imports.map((i) => [i.module, i.uses]))).toEqual({
      colorsys: 'module-level',
      csv: 'functions',
      json: 'module-level',
      html: 'functions',
    });
    expect(all.find((f) => f.module === 'handler')?.imports.map((i) => [i.module, i.uses])).toEqual([['app.store', 'module-level']]);
  });
});

describe('facts.py import statements locate what a module brought in (CI annotations)', () => {
  it('resolves relative imports, `from a import b` submodules, imports inside try, and those inside functions and classes', () => {
    const root = mkdtempSync(join(tmpdir(), 'lc-facts-locate-'));
    mkdirSync(join(root, 'app'));
    for (const f of ['__init__', 'config', 'db', 'models', 'cache']) writeFileSync(join(root, 'app', `${f}.py`), 'Order = 1\n');
    writeFileSync(join(root, 'fastjson.py'), '');
    writeFileSync(
      join(root, 'app', 'handler.py'),
      [
        '"""Orders."""',
        'import os, json as j', // 2
        'try:',
        '    import fastjson  # optional', // 4
        'except ImportError:',
        '    pass',
        'from app import (', // 7
        '    config,',
        '    db as database,',
        ')',
        'from .models import Order; import email.mime.text', // 11
        'from . import cache', // 12
        'from xml.dom import minidom', // 13
        'def setup():',
        '    import wave', // 15
        'setup()',
        'class Plugin:',
        '    from html import parser', // 18
        '',
      ].join('\n'),
    );
    const code = [
      'import importlib.util, json, sys',
      `sys.path.insert(0, ${JSON.stringify(root)})`,
      'import app.handler',
      `spec = importlib.util.spec_from_file_location("f", ${JSON.stringify(factsPy)})`,
      'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
      `print(json.dumps(m.collect(${JSON.stringify(root)})))`,
    ].join('\n');
    const all = JSON.parse(execFileSync(python, ['-c', code], { encoding: 'utf8' })) as ImportFacts[];
    rmSync(root, { recursive: true, force: true });
    expect(all.find((f) => f.module === 'app.handler')?.innerImports).toEqual([
      { line: 15, module: 'wave' },
      { line: 18, module: 'html.parser' },
    ]);
    const line = (next: string): number | undefined => locateImport(['app.handler', next], all)?.line;
    expect(
      Object.fromEntries(['json', 'fastjson', 'app.config', 'app.db', 'app.models', 'email', 'email.mime', 'app.cache', 'xml', 'xml.dom.minidom', 'wave', 'html'].map((m) => [m, line(m)])),
    ).toEqual({
      json: 2,
      fastjson: 4,
      'app.config': 7,
      'app.db': 7,
      'app.models': 11,
      email: 11,
      'email.mime': 11,
      'app.cache': 12,
      xml: 13,
      'xml.dom.minidom': 13,
      wave: 15,
      html: 18,
    });
  });
});

describe('readSamTemplate', () => {
  it('reads Python functions, their layers and CloudFormation short tags', () => {
    const { functions, skipped } = readSamTemplate(join(fixtures, 'sam', 'template.yaml'));
    expect(functions.map((f) => ({ id: f.logicalId, runtime: f.runtime, module: f.module, fn: f.function, layers: f.layers.length }))).toEqual([
      { id: 'OrdersFunction', runtime: 'python3.12', module: 'app', fn: 'lambda_handler', layers: 1 },
      { id: 'ReportsFunction', runtime: 'python3.11', module: 'reports.handler', fn: 'main', layers: 0 },
    ]);
    expect(functions[0]?.root).toBe(join(fixtures, 'sam', 'orders'));
    expect(functions[0]?.layers[0]).toBe(join(fixtures, 'sam', 'layers', 'deps'));
    expect(skipped).toEqual([{ logicalId: 'WebFunction', reason: 'runtime nodejs20.x is not Python' }]);
  });

  it('says what is wrong with a template it cannot use', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-sam-'));
    writeFileSync(join(dir, 'bad.yaml'), 'Resources: [unclosed');
    expect(() => readSamTemplate(join(dir, 'bad.yaml'))).toThrow(/is not a readable YAML template/);
    writeFileSync(join(dir, 'empty.yaml'), 'AWSTemplateFormatVersion: "2010-09-09"\n');
    expect(() => readSamTemplate(join(dir, 'empty.yaml'))).toThrow(/has no Resources section/);
    writeFileSync(
      join(dir, 's3.yaml'),
      'Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.h\n      CodeUri:\n        Bucket: b\n        Key: k\n',
    );
    expect(readSamTemplate(join(dir, 's3.yaml')).skipped[0]?.reason).toMatch(/not in a local folder/);
    rmSync(dir, { recursive: true });
  });
});
