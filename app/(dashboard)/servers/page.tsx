import type { Metadata } from "next";
import { Suspense } from "react";
import { ServerList } from "@/components/servers/server-list";
import { currentUser } from "@/server/auth/session";

export const metadata: Metadata = { title: "Servers" };

export default async function ServersPage() {
  const user = await currentUser();
  // The list holds only the signed-in user's own servers, so the owner column names them.
  return (
    <Suspense>
      <ServerList ownerLabel={user?.email ?? ""} />
    </Suspense>
  );
}
