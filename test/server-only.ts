// Stand-in for the "server-only" marker package under Vitest (tests run server code directly).
export {};
