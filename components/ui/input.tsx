import { Search } from "lucide-react";
import { forwardRef, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from "react";
import { cn } from "@/lib/utils";

const field =
  "w-full rounded-md border border-zinc-300 bg-white px-3 text-sm placeholder:text-zinc-400 disabled:opacity-50 aria-[invalid=true]:border-red-600 dark:border-zinc-700 dark:bg-zinc-900 dark:aria-[invalid=true]:border-red-500";

export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(function Input(
  { className, ...props },
  ref,
) {
  return <input ref={ref} className={cn(field, "h-9", className)} {...props} />;
});

export const Textarea = forwardRef<HTMLTextAreaElement, TextareaHTMLAttributes<HTMLTextAreaElement>>(function Textarea(
  { className, ...props },
  ref,
) {
  return <textarea ref={ref} className={cn(field, "min-h-20 py-2", className)} {...props} />;
});

export function Label({ className, ...props }: React.LabelHTMLAttributes<HTMLLabelElement>) {
  return <label className={cn("text-sm font-medium", className)} {...props} />;
}

/** A field's error, announced and tied to its input through aria-describedby. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="text-sm text-red-700 dark:text-red-400">
      {message}
    </p>
  );
}

/** A search box with its magnifier; `aria-label` names it (there is no visible label). */
export const SearchInput = forwardRef<
  HTMLInputElement,
  InputHTMLAttributes<HTMLInputElement> & { "aria-label": string; wrapperClassName?: string }
>(function SearchInput({ className, wrapperClassName, ...props }, ref) {
  return (
    <div className={cn("relative w-full sm:w-72", wrapperClassName)}>
      <Search className="pointer-events-none absolute top-2.5 left-2.5 h-4 w-4 text-zinc-400" aria-hidden />
      <Input ref={ref} type="search" className={cn("pl-8", className)} {...props} />
    </div>
  );
});

/** An input with its label, an optional hint and its error, tied together for assistive technology. */
export const LabeledInput = forwardRef<
  HTMLInputElement,
  InputHTMLAttributes<HTMLInputElement> & { id: string; label: ReactNode; hint?: string; error?: string }
>(function LabeledInput({ id, label, hint, error, ...props }, ref) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
      <Input
        ref={ref}
        id={id}
        aria-invalid={!!error}
        aria-describedby={`${hint ? `${id}-hint ` : ""}${id}-error`}
        {...props}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
});
