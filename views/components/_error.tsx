export interface ErrorProps {
  status: number;
  message: string;
  errorId?: string | undefined;
}

/** An error notice; swapped in alone for HTMX requests and embedded in the error page otherwise. */
export function ErrorNotice({ status, message, errorId }: ErrorProps) {
  return (
    <div
      role="alert"
      class="rounded-lg border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <p class="font-medium" safe>
        {message}
      </p>
      {errorId ? (
        <p class="mt-1 text-sm opacity-80">
          Reference <code safe>{errorId}</code> (status {status})
        </p>
      ) : null}
    </div>
  );
}
