// The contract between the fake backend the screen tests use and the app's real commands: every case of
// contract-cases.json, run here against the fake; src-tauri/tests/contract.rs runs the same cases against
// the real commands. Commands are reached through tauriBackend's own mapping (command name and argument
// names to a Backend method), so the cases also check that the UI calls the commands they name.
import { beforeAll, describe, expect, it, vi } from "vitest";
import contract from "./contract-cases.json";
import type { Backend } from "./Backend";
import { FakeBackend, HOME_HELP, defaultResident } from "../test/fakeBackend";

const calls: { command: string; args: Record<string, unknown> | undefined }[] = [];
vi.mock("@tauri-apps/api/core", () => ({
  invoke: async (command: string, args?: Record<string, unknown>) => {
    calls.push({ command, args });
  },
}));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Step = { command: string; args: Record<string, Json>; expect: { ok: Json } | { error: string }; save_as?: string };
type Case = { name: string; given: string; steps: Step[] };
const givens = contract.givens as unknown as Record<string, (string | Step)[]>;
const cases = contract.cases as unknown as Case[];

/** The fake's world: its own IDs and passwords (fakeBackend.ts), files named as its rules read them. */
const world: Record<string, Json> = {
  relay_url: "https://relay.example:8443",
  portal_url: "https://relay.example:8444",
  ca: "/home/user/certs/ca.pem",
  p12: "/home/user/certs/office.p12",
  p12_name: "office.p12",
  p12_password: "p12-pass",
  personal_id: "c1370000026a",
  personal_password: "right-pass",
  office_user_id: "KJ137000002601",
  office_password: "right-pass",
  own_office: HOME_HELP.number,
  valid_files: ["/home/user/送信/UPJSK_202504_1370000026_11_1370000018_43_20250430180000.CSV"],
  // The fake's rule for a file that breaks the standard: "BROKEN" in its name.
  broken_files: ["/home/user/送信/BROKEN_UPJSK_202504_1370000026_11_1370000018_43_20250430180000.CSV"],
  bulk_files: [
    "/home/user/送信/UPJSK_202504_1370000026_11_1370000018_43_20250430180000.CSV",
    "/home/user/送信/DLTJSK_202504_1370000026_11_1390000095_43_20250501110000.CSV",
  ],
  fetch_folder: "/home/user/受信",
};

/** Backend methods by the command they invoke, with the command's argument names in the method's order. */
const methods = new Map<string, { method: keyof Backend; argNames: string[] }>();

beforeAll(async () => {
  const { tauriBackend } = await import("./tauriBackend");
  for (const [method, fn] of Object.entries(tauriBackend) as [keyof Backend, (...args: unknown[]) => Promise<unknown>][]) {
    calls.length = 0;
    const probes = Array.from({ length: fn.length }, (_, i) => ({ probe: i }));
    try {
      await fn(...probes);
    } catch {
      continue; // dialogs and window events: no command
    }
    const call = calls[0];
    if (!call) continue;
    const argNames = probes.map((probe) => Object.entries(call.args ?? {}).find(([, value]) => value === probe)?.[0] ?? "");
    methods.set(call.command, { method, argNames });
  }
});

async function run(backend: FakeBackend, command: string, args: Record<string, Json>): Promise<unknown> {
  const found = methods.get(command);
  if (!found) throw new Error(`no Backend method invokes ${command}`);
  const unknownArgs = Object.keys(args).filter((name) => !found.argNames.includes(name));
  if (unknownArgs.length) throw new Error(`${command}: ${found.method} does not pass ${unknownArgs.join(", ")}`);
  const method = backend[found.method] as (...a: unknown[]) => Promise<unknown>;
  return method(...found.argNames.map((name) => args[name]));
}

function resolve(value: Json, saved: Record<string, Json>, settings: Record<string, Json>): Json {
  if (typeof value === "string" && value.startsWith("$")) {
    // `$name` (a path of the world), `$settings.field`, or `$saved.field.field…` (an earlier answer).
    const [name, ...fields] = value.slice(1).split(".");
    let found: Json | undefined = name === "settings" ? settings : fields.length > 0 ? saved[name] : world[name];
    for (const field of name === "settings" || fields.length > 0 ? fields : []) {
      found = found && typeof found === "object" && !Array.isArray(found) ? (found as Record<string, Json>)[field] : undefined;
    }
    if (found === undefined) throw new Error(`${value} is not known`);
    return found;
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, saved, settings));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, saved, settings)]));
  return value;
}

/** Where `actual` differs from what `expected` says, or null. */
function mismatch(expected: Json, actual: unknown, at = "answer"): string | null {
  if (expected === null) return actual === null || actual === undefined ? null : `${at}: expected null, got ${JSON.stringify(actual)}`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${at}: expected ${expected.length} items, got ${JSON.stringify(actual)}`;
    for (const [i, item] of expected.entries()) {
      const found = mismatch(item, actual[i], `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof expected === "object") {
    if (!actual || typeof actual !== "object") return `${at}: expected an object, got ${JSON.stringify(actual)}`;
    for (const [key, item] of Object.entries(expected)) {
      const found = mismatch(item, (actual as Record<string, unknown>)[key], `${at}.${key}`);
      if (found) return found;
    }
    return null;
  }
  return expected === actual ? null : `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

async function step(backend: FakeBackend, item: Step, saved: Record<string, Json>) {
  const settings = (await backend.getSettings()) as unknown as Record<string, Json>;
  const args = resolve(item.args, saved, settings) as Record<string, Json>;
  const expected = resolve(item.expect as unknown as Json, saved, settings) as { ok: Json } | { error: string };
  let answer: unknown;
  let error: { code?: string; message?: string } | undefined;
  try {
    answer = await run(backend, item.command, args);
  } catch (e) {
    error = e as { code?: string; message?: string };
  }
  const label = `${item.command}(${JSON.stringify(args)})`;
  if ("error" in expected) {
    expect(error?.code, `${label} should fail with ${expected.error}, answered ${JSON.stringify(answer)}`).toBe(expected.error);
    expect(error?.message, `${label}: a Japanese message`).toMatch(/[^\x20-\x7e]/);
  } else {
    expect(error, `${label} failed`).toBeUndefined();
    expect(mismatch(expected.ok, answer), label).toBeNull();
  }
  if (item.save_as) saved[item.save_as] = answer as Json;
}

/** A PC with nothing set up; the givens' steps do the rest, as on the real side. */
function newPc(): FakeBackend {
  const backend = new FakeBackend();
  backend.settings = { relay_url: "", ca_certificate: null, certificate: null, terminal_name: "PC", save_folder: null, personal_id: null, office_user_id: null, fetch_explained: false, portal_address: "", resident: defaultResident() };
  return backend;
}

async function given(backend: FakeBackend, name: string, saved: Record<string, Json>) {
  const steps = givens[name];
  if (!steps) throw new Error(`no given ${name}`);
  for (const item of steps) {
    if (typeof item === "string") await given(backend, item, saved);
    else await step(backend, item, saved);
  }
}

describe("the fake backend keeps the contract of the real commands", () => {
  it("reaches every command the cases name through tauriBackend", () => {
    const named = new Set([...cases.flatMap((c) => c.steps), ...Object.values(givens).flat().filter((s): s is Step => typeof s !== "string")].map((s) => s.command));
    for (const command of named) expect(methods.has(command), command).toBe(true);
  });

  for (const item of cases) {
    it(item.name, async () => {
      const backend = newPc();
      const saved: Record<string, Json> = {};
      await given(backend, item.given, saved);
      for (const s of item.steps) await step(backend, s, saved);
    });
  }
});
