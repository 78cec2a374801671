// The landing page until the dashboard lands: how to reach the REST API from here.
import Link from "next/link";

export default function HomePage() {
  return (
    <main className="page">
      <h1>Switchboard</h1>
      <p>
        A self-hosted control plane for MCP servers. The REST API is served under <code>/api/servers</code>.
      </p>
      <p>Create an account and an API key with the CLI, then call the API:</p>
      <pre>
        <code>{`npm run cli -- account create --email you@example.com --password 'a long password'
npm run cli -- apikey create --email you@example.com
curl -H "Authorization: Bearer <key>" http://localhost:3000/api/servers`}</code>
      </pre>
      <p>
        <Link href="/docs/api">API reference</Link>: every operation with its parameters, answers and examples, and a
        &ldquo;try it&rdquo; against this server. The OpenAPI 3.1 document is at{" "}
        <a href="/api/openapi.json">/api/openapi.json</a>.
      </p>
      <p>See the README for configuration and the PostgreSQL mode.</p>
    </main>
  );
}
