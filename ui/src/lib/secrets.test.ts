// Issue 13, IPC checks: no response of any command can carry a secret. The walk reads the
// generated bindings (the one contract between the shell and the UI, checked for drift in CI)
// with the TypeScript checker, follows every command's response type through every field,
// union, array and map, and fails on a field whose name says secret. Bare strings cannot be
// judged by name, so every command answering with one is listed here with what it is: a new
// one fails until someone has looked at it.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import ts from 'typescript';

const SECRET = /pass(word|phrase)|secret|recovery|database_?key|db_?key|private|mnemonic|^pin$|^key$|identity|token|nonce|salt/i;

// The only answers that carry a secret, by design: the recovery key, shown once on the screen
// that makes it (see SECURITY.md, "the key hierarchy").
const SHOWN_ONCE: Record<string, string> = {
  createVault: 'the new vault’s recovery key, shown once',
  regenerateRecoveryKey: 'the new recovery key, shown once',
  'rekey.recovery_key': 'the new recovery key after a re-key, shown once',
  // Not a vault key: the export file's own one-time passphrase, which the therapist reads to
  // the client by phone (issue 10); it opens that one file and nothing else.
  'exportClient.passphrase': 'the encrypted export’s one-time passphrase, read to the client',
};

// Commands that answer with a bare string, and what that string is.
const STRING_ANSWERS: Record<string, string> = {
  createVault: 'recovery key (SHOWN_ONCE)',
  regenerateRecoveryKey: 'recovery key (SHOWN_ONCE)',
  accountingCsv: 'path of the CSV file saved where the therapist chose',
  attachmentUrlBase: 'the custom protocol’s URL prefix',
  breachNotice: 'path of the PDF saved',
  invoicePdf: 'path of the PDF saved',
  printJournal: 'path of the PDF saved',
  processingRecord: 'path of the PDF saved',
  referralLetter: 'path of the PDF saved',
};

function load() {
  const file = path.resolve(__dirname, 'bindings.ts');
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  let commands: ts.VariableDeclaration | undefined;
  source.forEachChild((n) => {
    if (ts.isVariableStatement(n)) for (const d of n.declarationList.declarations) if (d.name.getText(source) === 'commands') commands = d;
  });
  if (!commands) throw new Error('bindings.ts has no `commands`');
  return { checker, commands };
}

describe('IPC responses', () => {
  const { checker, commands } = load();
  const cmds = checker.getTypeAtLocation(commands).getProperties();

  function answer(cmd: ts.Symbol): ts.Type {
    const sig = checker.getTypeOfSymbolAtLocation(cmd, commands).getCallSignatures()[0];
    const awaited = checker.getAwaitedType(sig.getReturnType())!;
    // `{ status: "ok", data: T } | { status: "error", error: IpcError }`: T is the answer (a
    // command that cannot fail answers T itself).
    const ok = (awaited.isUnion() ? awaited.types : [awaited]).find((t) => t.getProperty('data') && t.getProperty('status'));
    return ok ? checker.getTypeOfSymbolAtLocation(ok.getProperty('data')!, commands) : awaited;
  }

  function walk(t: ts.Type, where: string, seen: Set<ts.Type>, found: string[]) {
    if (seen.has(t)) return;
    seen.add(t);
    if (t.isUnionOrIntersection()) {
      for (const u of t.types) walk(u, where, seen, found);
      return;
    }
    for (const arg of checker.getTypeArguments(t as ts.TypeReference) ?? []) walk(arg, `${where}[]`, seen, found);
    const index = checker.getIndexInfosOfType(t);
    for (const i of index) walk(i.type, `${where}{}`, seen, found);
    if (!(t.flags & ts.TypeFlags.Object) || checker.isArrayType(t)) return;
    for (const p of t.getProperties()) {
      const name = `${where}.${p.getName()}`;
      const type = checker.getTypeOfSymbolAtLocation(p, commands);
      // A yes/no such as `has_recovery_key` cannot carry a secret.
      const flag = (type.flags & ts.TypeFlags.BooleanLike) !== 0;
      if (SECRET.test(p.getName()) && !flag) found.push(name);
      walk(type, name, seen, found);
    }
  }

  it('walks every command (the bindings were read)', () => {
    expect(cmds.length).toBeGreaterThan(100);
  });

  it('no answer has a field named like a secret, but the recovery key shown once', () => {
    const found: string[] = [];
    for (const c of cmds) walk(answer(c), c.getName(), new Set(), found);
    expect(found.filter((f) => !(f in SHOWN_ONCE))).toEqual([]);
    // And each allowed one still exists (the list shrinks when a command goes).
    for (const k of Object.keys(SHOWN_ONCE).filter((k) => k.includes('.'))) expect(found).toContain(k);
  });

  it('every command that answers with a bare string is known and says what it is', () => {
    const strings = cmds.filter((c) => answer(c).flags & ts.TypeFlags.String).map((c) => c.getName());
    expect(strings.sort()).toEqual(Object.keys(STRING_ANSWERS).sort());
  });

  it('the walk finds a secret-named field where there is one', () => {
    const found: string[] = [];
    const rekey = cmds.find((c) => c.getName() === 'rekey')!;
    walk(answer(rekey), 'rekey', new Set(), found);
    expect(found).toContain('rekey.recovery_key');
  });
});
