import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth-card";
import { SignUpForm } from "@/components/sign-in-form";
import { currentUser } from "@/server/auth/session";
import { signUpEnabled } from "@/server/config";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await currentUser()) redirect("/servers");
  if (!signUpEnabled()) {
    return (
      <AuthCard title="Sign-up is disabled">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Ask the administrator of this installation for an account, then{" "}
          <Link className="font-medium text-blue-700 hover:underline dark:text-blue-400" href="/sign-in">
            sign in
          </Link>
          .
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Create an account">
      <SignUpForm />
    </AuthCard>
  );
}
