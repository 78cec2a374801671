import type { Metadata } from "next";
import { ApiKeysPanel, JwtKeysPanel, MembersPanel } from "@/components/settings/settings-panels";
import { PageHeader } from "@/components/ui/misc";
import { currentUser } from "@/server/auth/session";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await currentUser();
  return (
    <>
      <PageHeader title="Settings" />
      <div className="grid gap-6">
        <ApiKeysPanel />
        <JwtKeysPanel />
        <MembersPanel isOwner={user?.role === "OWNER"} />
      </div>
    </>
  );
}
