// Checks JSON responses against lemmy-js-client's own declared TypeScript types.
//
// The TypeScript compiler reads node_modules/lemmy-js-client/dist/http.d.ts (which imports every
// dist/types/*.d.ts it uses); the declared return type of each LemmyHttp method, unwrapped from its
// Promise, is what that method's response must match. So the check follows the real client, not a
// hand-written list of fields.
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
export const clientDist = path.join(here, "node_modules", "lemmy-js-client", "dist");

export class ShapeChecker {
  constructor() {
    const httpDts = path.join(clientDist, "http.d.ts");
    const program = ts.createProgram([httpDts], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
    });
    this.checker = program.getTypeChecker();
    const source = program.getSourceFile(httpDts);
    if (!source) throw new Error(`TypeScript could not read ${httpDts}`);
    const cls = source.statements.find(
      (s) => ts.isClassDeclaration(s) && s.name?.text === "LemmyHttp",
    );
    if (!cls) throw new Error(`no class LemmyHttp in ${httpDts}`);
    this.returnTypes = new Map();
    const instance = this.checker.getTypeAtLocation(cls);
    for (const member of this.checker.getPropertiesOfType(instance)) {
      const type = this.checker.getTypeOfSymbolAtLocation(member, cls);
      const signature = type.getCallSignatures()[0];
      if (!signature) continue;
      const returned = this.checker.getReturnTypeOfSignature(signature);
      this.returnTypes.set(member.name, this.checker.getAwaitedType(returned) ?? returned);
    }
    // Unresolved types would turn into `any` and let every response pass: refuse to run then.
    const posts = this.returnTypes.get("getPosts");
    if (this.returnTypes.size < 90 || !posts || !this.checker.getPropertyOfType(posts, "posts")) {
      throw new Error(`could not read lemmy-js-client's declared types from ${httpDts}`);
    }
  }

  /** The declared response type's name for a LemmyHttp method, e.g. "GetPostsResponse". */
  typeName(method) {
    const type = this.returnTypes.get(method);
    return type ? this.checker.typeToString(type) : undefined;
  }

  /**
   * Problems of `value` as the response of LemmyHttp.`method`: { errors, warnings }, each a list
   * of "path: what" strings. Errors: a non-optional field missing, a null, a wrong JSON type, a
   * string outside its declared set. Warnings: fields the type does not declare.
   */
  check(method, value) {
    const type = this.returnTypes.get(method);
    if (!type) throw new Error(`LemmyHttp has no method ${method}`);
    const found = { errors: [], warnings: [] };
    this.#walk(value, type, this.typeName(method), found);
    return found;
  }

  #walk(value, type, at, found) {
    const c = this.checker;
    const F = ts.TypeFlags;
    if (type.flags & (F.Any | F.Unknown | F.Void)) return;
    if (value === null) {
      found.errors.push(`${at}: null (Lemmy omits absent optional fields; this one is ${c.typeToString(type)})`);
      return;
    }
    if (type.flags & F.BooleanLike) {
      if (typeof value !== "boolean") found.errors.push(`${at}: expected boolean, got ${show(value)}`);
      return;
    }
    if (type.isUnion()) {
      this.#walkUnion(value, type, at, found);
      return;
    }
    if (type.flags & F.StringLiteral || type.flags & F.NumberLiteral) {
      if (value !== type.value) found.errors.push(`${at}: expected ${show(type.value)}, got ${show(value)}`);
      return;
    }
    if (type.flags & F.StringLike) {
      if (typeof value !== "string") found.errors.push(`${at}: expected string, got ${show(value)}`);
      return;
    }
    if (type.flags & F.NumberLike) {
      if (typeof value !== "number") found.errors.push(`${at}: expected number, got ${show(value)}`);
      return;
    }
    if (type.flags & F.BigIntLike) {
      if (typeof value !== "number") found.errors.push(`${at}: expected integer, got ${show(value)}`);
      return;
    }
    if (c.isArrayType(type) || c.isTupleType(type)) {
      if (!Array.isArray(value)) {
        found.errors.push(`${at}: expected array, got ${show(value)}`);
        return;
      }
      const args = c.getTypeArguments(type);
      value.forEach((item, i) => this.#walk(item, c.isTupleType(type) ? args[i] : args[0], `${at}[${i}]`, found));
      return;
    }
    if (type.flags & F.Object) {
      this.#walkObject(value, type, at, found);
      return;
    }
    found.warnings.push(`${at}: type ${c.typeToString(type)} not checked`);
  }

  #walkUnion(value, type, at, found) {
    const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    if (members.length === 1) return this.#walk(value, members[0], at, found);
    const literals = members.filter((t) => t.isLiteral());
    if (literals.length === members.length) {
      if (!literals.some((t) => t.value === value)) {
        found.errors.push(`${at}: ${show(value)} is not one of ${literals.map((t) => show(t.value)).join(" | ")}`);
      }
      return;
    }
    if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) {
      if (typeof value !== "boolean") found.errors.push(`${at}: expected boolean, got ${show(value)}`);
      return;
    }
    // A union of shapes: the value must match one of them; report the closest.
    let best;
    for (const member of members) {
      const attempt = { errors: [], warnings: [] };
      this.#walk(value, member, at, attempt);
      if (!best || attempt.errors.length < best.errors.length) best = attempt;
      if (attempt.errors.length === 0) break;
    }
    found.errors.push(...best.errors);
    found.warnings.push(...best.warnings);
  }

  #walkObject(value, type, at, found) {
    const c = this.checker;
    if (typeof value !== "object" || Array.isArray(value)) {
      found.errors.push(`${at}: expected object ${c.typeToString(type)}, got ${show(value)}`);
      return;
    }
    const declared = new Set();
    for (const prop of c.getPropertiesOfType(type)) {
      declared.add(prop.name);
      const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
      const field = value[prop.name];
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      const propType = c.getTypeOfSymbolAtLocation(prop, decl);
      if (field === undefined) {
        if (!optional) found.errors.push(`${at}.${prop.name}: missing (${c.typeToString(propType)})`);
        continue;
      }
      this.#walk(field, propType, `${at}.${prop.name}`, found);
    }
    const index = c.getIndexInfosOfType(type)[0];
    for (const key of Object.keys(value)) {
      if (declared.has(key)) continue;
      if (index) this.#walk(value[key], index.type, `${at}[${JSON.stringify(key)}]`, found);
      else found.warnings.push(`${at}.${key}: not declared by ${c.typeToString(type)}`);
    }
  }
}

function show(value) {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? text.slice(0, 77) + "..." : text;
}
