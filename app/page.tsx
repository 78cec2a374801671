// The landing page until the dashboard lands: how to reach the REST API from here.
export default function HomePage() {
  return (
    <main>
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
      <p>See the README for the full API, configuration and the PostgreSQL mode.</p>
    </main>
  );
}
