"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { Loader2 } from "lucide-react";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { type z } from "zod";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/input";
import { api, ApiClientError } from "@/lib/api-client";
import { safeCallback } from "@/lib/safe-callback";
import { signInSchema, signUpSchema } from "@/lib/schemas/account";

const messages: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  RATE_LIMITED: "Too many sign-in attempts. Wait a minute and try again.",
};

async function signInWith(email: string, password: string) {
  // redirect: false — we navigate ourselves, next-auth's redirect URL may name another host.
  const result = await signIn("credentials", { email, password, redirect: false });
  if (!result || result.error) return messages[result?.error ?? ""] ?? "Could not sign in. Try again.";
  return null;
}

export function SignInForm({ signUpEnabled, callbackUrl }: { signUpEnabled: boolean; callbackUrl: string | null }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<z.input<typeof signInSchema>>({ resolver: zodResolver(signInSchema) });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ email, password }) => {
    setFormError(null);
    const error = await signInWith(email, password);
    if (error) return setFormError(error);
    router.replace(safeCallback(callbackUrl, window.location.origin));
    router.refresh();
  });

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate className="grid gap-4">
      <div className="grid gap-1.5">
        <Label htmlFor="email">Email</Label>
        <Input
          id="email"
          type="email"
          autoComplete="email"
          autoFocus
          aria-invalid={!!errors.email}
          aria-describedby="email-error"
          {...form.register("email")}
        />
        <FieldError id="email-error" message={errors.email?.message} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="password">Password</Label>
        <Input
          id="password"
          type="password"
          autoComplete="current-password"
          aria-invalid={!!errors.password}
          aria-describedby="password-error"
          {...form.register("password")}
        />
        <FieldError id="password-error" message={errors.password?.message} />
      </div>
      {formError ? (
        <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {formError}
        </p>
      ) : null}
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : null}
        Sign in
      </Button>
      {signUpEnabled ? (
        <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
          No account yet?{" "}
          <Link className="font-medium text-blue-700 hover:underline dark:text-blue-400" href="/sign-up">
            Create one
          </Link>
        </p>
      ) : null}
    </form>
  );
}

export function SignUpForm() {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<z.input<typeof signUpSchema>, unknown, z.output<typeof signUpSchema>>({
    resolver: zodResolver(signUpSchema),
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      await api.signUp(values);
    } catch (error) {
      if (error instanceof ApiClientError && error.code === "CONFLICT") {
        return form.setError("email", { message: "An account with this email already exists" });
      }
      return setFormError(error instanceof Error ? error.message : "Could not create the account");
    }
    const signInError = await signInWith(values.email, values.password);
    if (signInError) return setFormError(signInError);
    router.replace("/servers");
    router.refresh();
  });

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate className="grid gap-4">
      <div className="grid gap-1.5">
        <Label htmlFor="name">Name (optional)</Label>
        <Input
          id="name"
          autoComplete="name"
          {...form.register("name", { setValueAs: (v: string) => v || undefined })}
        />
        <FieldError id="name-error" message={errors.name?.message} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="email">Email</Label>
        <Input
          id="email"
          type="email"
          autoComplete="email"
          aria-invalid={!!errors.email}
          aria-describedby="email-error"
          {...form.register("email")}
        />
        <FieldError id="email-error" message={errors.email?.message} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="password">Password</Label>
        <Input
          id="password"
          type="password"
          autoComplete="new-password"
          aria-invalid={!!errors.password}
          aria-describedby="password-error"
          {...form.register("password")}
        />
        <FieldError id="password-error" message={errors.password?.message} />
      </div>
      {formError ? (
        <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {formError}
        </p>
      ) : null}
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : null}
        Create account
      </Button>
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link className="font-medium text-blue-700 hover:underline dark:text-blue-400" href="/sign-in">
          Sign in
        </Link>
      </p>
    </form>
  );
}
