import "server-only";
// The transport of a stdio connector (issue #12, finding 1): runs one command of the operator's list
// (CONNECTORS_STDIO_COMMANDS) with its fixed arguments, never anything a request named. The child gets a
// minimal environment (PATH, HOME, LANG and the entry's own variables: none of the app's secrets), and
// when the app runs as root it runs as the unprivileged user nobody (uid/gid 65534), so it can neither
// read the app's /proc/<pid>/environ nor its files. One message may hold at most the answer byte limit.
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { connectorMaxResponseBytes, type StdioCommand } from "@/server/config";
import { ResponseTooLargeError } from "@/server/outbound/guarded-fetch";

const UNPRIVILEGED_ID = 65534;

/** What the child may see of the world: nothing of the app's own environment beyond PATH. */
export function stdioEnvironment(entry: StdioCommand, dropsPrivileges: boolean): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: dropsPrivileges ? os.tmpdir() : (process.env.HOME ?? os.tmpdir()),
    LANG: "C.UTF-8",
    ...entry.env,
  };
}

export class OperatorStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private child?: ChildProcess;
  private readonly buffer: ReadBuffer;

  constructor(private readonly entry: StdioCommand) {
    this.buffer = new ReadBuffer({ maxBufferSize: connectorMaxResponseBytes() });
  }

  start(): Promise<void> {
    const root = process.getuid?.() === 0;
    return new Promise((resolve, reject) => {
      const child: ChildProcess = spawn(this.entry.command, this.entry.args, {
        env: stdioEnvironment(this.entry, root) as NodeJS.ProcessEnv,
        cwd: this.entry.cwd ?? os.tmpdir(),
        stdio: ["pipe", "pipe", "ignore"],
        shell: false,
        windowsHide: true,
        ...(root ? { uid: UNPRIVILEGED_ID, gid: UNPRIVILEGED_ID } : {}),
      });
      this.child = child;
      child.once("error", (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.once("spawn", () => resolve());
      child.once("close", () => {
        this.child = undefined;
        this.onclose?.();
      });
      child.stdin?.on("error", (error) => this.onerror?.(error));
      child.stdout?.on("data", (chunk: Buffer) => {
        try {
          this.buffer.append(chunk);
          for (let message = this.buffer.readMessage(); message; message = this.buffer.readMessage()) {
            this.onmessage?.(message);
          }
        } catch (error) {
          const limit = connectorMaxResponseBytes();
          this.onerror?.(
            error instanceof Error && /exceeded maximum size/.test(error.message)
              ? new ResponseTooLargeError(limit)
              : (error as Error),
          );
          void this.close();
        }
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin) return reject(new Error("Not connected"));
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once("drain", resolve);
    });
  }

  close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.buffer.clear();
    if (child && child.exitCode === null) {
      child.stdin?.end();
      child.kill("SIGTERM");
      setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 2000).unref();
    }
    return Promise.resolve();
  }
}
