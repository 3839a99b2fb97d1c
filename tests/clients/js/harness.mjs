// The step machinery of a client scenario, as a module: accounts with their own LemmyHttp, one
// checked step per call (response shape against lemmy-js-client's declared type, then a
// behaviour check), refusals by error name, and the closing tally. scenario.mjs and
// moderation.mjs both run on it.
import { LemmyHttp } from "lemmy-js-client";
import { ShapeChecker } from "./shapes.mjs";

export class StepFailure extends Error {}
/** Thrown when a step needs the result of an earlier step that failed. */
export class Missing extends Error {}

export function need(result, name) {
  if (result === undefined) throw new Missing(`needs the result of the failed step "${name}"`);
  return result;
}

export function expect(condition, message) {
  if (!condition) throw new StepFailure(message);
}

export class Run {
  constructor(baseUrl, keepGoing) {
    this.baseUrl = baseUrl;
    this.keepGoing = keepGoing;
    this.shapes = new ShapeChecker();
    this.outcome = { passed: 0, failed: 0, skipped: 0 };
    this.servedPaths = undefined;
  }

  /** Reads the routes the server lists in its OpenAPI document, so that a failure can tell a
   * missing endpoint from a 404 answer. Optional: without it failures carry no such note. */
  async loadServedPaths() {
    try {
      const doc = await (await fetch(new URL("/api/v3/openapi.json", this.baseUrl))).json();
      this.servedPaths = doc.paths;
    } catch {
      this.servedPaths = undefined;
    }
  }

  endpointNote(request) {
    const [method, path] = request.split(" ");
    if (!this.servedPaths || !path || this.servedPaths[path]?.[method.toLowerCase()]) return "";
    return " [endpoint not served: absent from /api/v3/openapi.json]";
  }

  /** One account, with its own LemmyHttp as an app signed into it would have. */
  account(label) {
    const last = { request: "(no request)", status: 0 };
    const fetchFunction = async (url, init) => {
      last.request = `${init?.method ?? "GET"} ${new URL(url).pathname}`;
      last.status = 0;
      const response = await fetch(url, init);
      last.status = response.status;
      return response;
    };
    return { label, last, http: new LemmyHttp(this.baseUrl, { fetchFunction }) };
  }

  signIn(who, jwt) {
    who.jwt = jwt;
    who.http.setHeaders({ Authorization: `Bearer ${jwt}` });
  }

  report(status, name, details = []) {
    console.log(`${status.padEnd(4)} ${name}`);
    for (const line of details) console.log(`       ${line}`);
  }

  failed(name, details) {
    this.outcome.failed += 1;
    this.report("FAIL", name, details);
    if (!this.keepGoing) this.finish();
  }

  skipped(name, details) {
    this.outcome.skipped += 1;
    this.report("skip", name, details);
  }

  /** Calls who.http[method](form()), checks the shape, then verify(response). */
  async step(name, who, method, form, verify) {
    let input;
    try {
      input = form ? form() : undefined;
    } catch (err) {
      if (!(err instanceof Missing)) throw err;
      this.skipped(name, [err.message]);
      return undefined;
    }
    let response;
    try {
      response = await who.http[method](input);
    } catch (err) {
      const where = `${who.last.request} answered HTTP ${who.last.status}: ${err.message}`;
      this.failed(name, [`${who.label}: ${method} -> ${where}${this.endpointNote(who.last.request)}`]);
      return undefined;
    }
    const { errors, warnings } = this.shapes.check(method, response);
    const problems = errors.map((e) => `shape: ${e}`);
    const notes = warnings.map((w) => `warning: ${w}`);
    if (verify && errors.length === 0) {
      try {
        verify(response);
      } catch (err) {
        if (err instanceof Missing) {
          this.skipped(name, [`shape ok; behaviour check ${err.message}`, ...notes]);
          return response;
        }
        problems.push(err instanceof StepFailure ? `behaviour: ${err.message}` : `check crashed: ${err.stack}`);
      }
    }
    if (problems.length) {
      this.failed(name, [`${who.label}: ${method} -> ${who.last.request} (${this.shapes.typeName(method)})`, ...problems, ...notes]);
      return errors.length ? undefined : response;
    }
    this.outcome.passed += 1;
    this.report("ok", name, notes);
    return response;
  }

  /** A call that must be refused with one of `names` as its error. */
  async refused(name, who, method, form, names) {
    let input;
    try {
      input = form ? form() : undefined;
    } catch (err) {
      if (!(err instanceof Missing)) throw err;
      this.skipped(name, [err.message]);
      return;
    }
    try {
      const response = await who.http[method](input);
      this.failed(name, [`${who.label}: ${method} -> ${who.last.request} answered HTTP ${who.last.status} with ${JSON.stringify(response)}, expected an error: ${names.join(" or ")}`]);
    } catch (err) {
      if (!names.includes(err.message)) {
        this.failed(name, [`${who.label}: ${method} -> ${who.last.request} answered HTTP ${who.last.status} "${err.message}", expected ${names.join(" or ")}`]);
        return;
      }
      this.outcome.passed += 1;
      this.report("ok", `${name} (HTTP ${who.last.status} ${err.message})`);
    }
  }

  finish() {
    const { passed, failed, skipped } = this.outcome;
    if (failed) {
      console.log(`scenario FAILED against ${this.baseUrl}: ${failed} failed, ${skipped} skipped, ${passed} passed`);
      process.exit(1);
    }
    console.log(`scenario passed against ${this.baseUrl}: ${passed} steps`);
    process.exit(0);
  }
}
