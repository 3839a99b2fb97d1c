// Helper for tools/gen_api_models.py: parses TypeScript declaration files with
// the TypeScript compiler API and prints a JSON description of the exported
// interfaces, type aliases and class methods found in them.
//
// Usage: node tools/dts_to_json.mjs FILE.d.ts [FILE.d.ts ...] > out.json
//
// The "typescript" package is resolved from the directory of the first input
// file (walking up through node_modules folders), then from the current
// working directory, then from $TYPESCRIPT_PATH if set.
//
// Output shape:
//   { "files": [ { "file": path, "decls": [Decl, ...] }, ... ] }
//   Decl = { "name", "kind": "interface", "members": [Member] }
//        | { "name", "kind": "alias", "type": Type }
//        | { "name", "kind": "class", "methods": [Method] }
//   Member = { "name", "optional": bool, "type": Type }
//   Method = { "name", "params": [{ "name", "optional", "type" }],
//              "returns": Type, "doc": string }
//   Type = { "k": "kw", "n": "string" | "number" | "boolean" | "any" | ... }
//        | { "k": "lit", "v": string | number | boolean }
//        | { "k": "ref", "n": name, "args": [Type] }
//        | { "k": "arr", "e": Type }
//        | { "k": "tuple", "e": [Type] }
//        | { "k": "union", "t": [Type] }
//        | { "k": "obj", "members": [Member], "index": Type | null }
//        | { "k": "other", "text": string }

import { createRequire } from "node:module";
import path from "node:path";
import fs from "node:fs";

function loadTypescript(firstFile) {
  const bases = [];
  if (firstFile) bases.push(path.resolve(path.dirname(firstFile)) + path.sep);
  bases.push(process.cwd() + path.sep);
  if (process.env.TYPESCRIPT_PATH) bases.push(path.resolve(process.env.TYPESCRIPT_PATH) + path.sep);
  for (const base of bases) {
    try {
      return createRequire(base + "__resolve__.js")("typescript");
    } catch (_e) {
      // try next candidate
    }
  }
  process.stderr.write(
    "dts_to_json: cannot find the 'typescript' package; install it next to " +
      "lemmy-js-client (npm install typescript@5) or set TYPESCRIPT_PATH\n",
  );
  process.exit(2);
}

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write("usage: node dts_to_json.mjs FILE.d.ts [...]\n");
  process.exit(2);
}
const ts = loadTypescript(files[0]);
const K = ts.SyntaxKind;

function propName(nameNode, sf) {
  if (!nameNode) return null;
  if (ts.isIdentifier(nameNode) || ts.isStringLiteral(nameNode) || ts.isNumericLiteral(nameNode)) {
    return nameNode.text;
  }
  if (ts.isPrivateIdentifier && ts.isPrivateIdentifier(nameNode)) return null;
  return nameNode.getText(sf);
}

function members(nodes, sf) {
  const out = [];
  for (const m of nodes) {
    if (ts.isPropertySignature(m)) {
      const name = propName(m.name, sf);
      if (name === null) continue;
      out.push({ name, optional: !!m.questionToken, type: conv(m.type, sf) });
    }
  }
  return out;
}

function indexType(nodes, sf) {
  for (const m of nodes) {
    if (ts.isIndexSignatureDeclaration(m)) return conv(m.type, sf);
  }
  return null;
}

function conv(node, sf) {
  if (!node) return { k: "kw", n: "any" };
  switch (node.kind) {
    case K.StringKeyword: return { k: "kw", n: "string" };
    case K.NumberKeyword: return { k: "kw", n: "number" };
    case K.BigIntKeyword: return { k: "kw", n: "bigint" };
    case K.BooleanKeyword: return { k: "kw", n: "boolean" };
    case K.AnyKeyword: return { k: "kw", n: "any" };
    case K.UnknownKeyword: return { k: "kw", n: "unknown" };
    case K.NullKeyword: return { k: "kw", n: "null" };
    case K.UndefinedKeyword: return { k: "kw", n: "undefined" };
    case K.VoidKeyword: return { k: "kw", n: "undefined" };
    case K.NeverKeyword: return { k: "kw", n: "never" };
    case K.ObjectKeyword: return { k: "kw", n: "object" };
    default: break;
  }
  if (ts.isParenthesizedTypeNode(node)) return conv(node.type, sf);
  if (ts.isLiteralTypeNode(node)) {
    const lit = node.literal;
    if (lit.kind === K.NullKeyword) return { k: "kw", n: "null" };
    if (ts.isStringLiteral(lit)) return { k: "lit", v: lit.text };
    if (ts.isNumericLiteral(lit)) return { k: "lit", v: Number(lit.text) };
    if (lit.kind === K.TrueKeyword) return { k: "lit", v: true };
    if (lit.kind === K.FalseKeyword) return { k: "lit", v: false };
    return { k: "other", text: node.getText(sf) };
  }
  if (ts.isTypeReferenceNode(node)) {
    const n = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.getText(sf);
    return { k: "ref", n, args: (node.typeArguments || []).map((a) => conv(a, sf)) };
  }
  if (ts.isArrayTypeNode(node)) return { k: "arr", e: conv(node.elementType, sf) };
  if (ts.isTupleTypeNode(node)) {
    return {
      k: "tuple",
      e: node.elements.map((el) => conv(ts.isNamedTupleMember(el) ? el.type : el, sf)),
    };
  }
  if (ts.isUnionTypeNode(node)) return { k: "union", t: node.types.map((t) => conv(t, sf)) };
  if (ts.isTypeLiteralNode(node)) {
    return { k: "obj", members: members(node.members, sf), index: indexType(node.members, sf) };
  }
  return { k: "other", text: node.getText(sf) };
}

function jsdoc(node, sf) {
  const ranges = ts.getLeadingCommentRanges(sf.text, node.getFullStart()) || [];
  return ranges.map((r) => sf.text.slice(r.pos, r.end)).join("\n");
}

function classMethods(cls, sf) {
  const out = [];
  for (const m of cls.members) {
    if (!ts.isMethodDeclaration(m)) continue;
    const name = propName(m.name, sf);
    if (name === null) continue;
    const params = m.parameters.map((p) => ({
      name: ts.isIdentifier(p.name) ? p.name.text : p.name.getText(sf),
      optional: !!p.questionToken || !!p.initializer,
      type: conv(p.type, sf),
    }));
    out.push({ name, params, returns: conv(m.type, sf), doc: jsdoc(m, sf) });
  }
  return out;
}

const result = { files: [] };
for (const file of files) {
  const text = fs.readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const decls = [];
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st)) {
      decls.push({
        name: st.name.text,
        kind: "interface",
        members: members(st.members, sf),
        index: indexType(st.members, sf),
      });
    } else if (ts.isTypeAliasDeclaration(st)) {
      decls.push({ name: st.name.text, kind: "alias", type: conv(st.type, sf) });
    } else if (ts.isClassDeclaration(st) && st.name) {
      decls.push({ name: st.name.text, kind: "class", methods: classMethods(st, sf) });
    }
  }
  result.files.push({ file, decls });
}
process.stdout.write(JSON.stringify(result, null, 1) + "\n");
