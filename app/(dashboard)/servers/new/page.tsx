import type { Metadata } from "next";
import { ServerForm } from "@/components/servers/server-form";
import { PageHeader } from "@/components/ui/misc";

export const metadata: Metadata = { title: "New server" };

export default function NewServerPage() {
  return (
    <>
      <PageHeader title="New server" />
      <ServerForm mode="create" />
    </>
  );
}
