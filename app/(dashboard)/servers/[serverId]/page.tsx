import type { Metadata } from "next";
import { ServerDetail } from "@/components/servers/server-detail";

export const metadata: Metadata = { title: "Server" };

export default async function ServerPage({ params }: { params: Promise<{ serverId: string }> }) {
  const { serverId } = await params;
  return <ServerDetail serverId={serverId} />;
}
