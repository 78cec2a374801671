"use client";
// Scalar's API reference, client-side only: it is a browser app (Vue inside) that reads the document from
// this server and sends "try it" requests straight to this server (the document's server URL is relative,
// and no proxy is configured: same-origin requests need none).
import dynamic from "next/dynamic";
import "@scalar/api-reference-react/style.css";

const ApiReferenceReact = dynamic(() => import("@scalar/api-reference-react").then((m) => m.ApiReferenceReact), {
  ssr: false,
  loading: () => <p style={{ padding: "2rem" }}>Loading the API reference…</p>,
});

export function ApiReference() {
  return (
    <ApiReferenceReact
      configuration={{
        url: "/api/openapi.json",
        // Offline by design: Scalar otherwise pulls its fonts from its CDN, offers its hosted AI agent and
        // developer toolbar on localhost, and reports usage; none of that may leave this machine.
        withDefaultFonts: false,
        agent: { disabled: true },
        showDeveloperTools: "never",
        telemetry: false,
        documentDownloadType: "json",
        showOperationId: true,
        orderSchemaPropertiesBy: "preserve",
      }}
    />
  );
}
