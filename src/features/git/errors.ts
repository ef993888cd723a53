import { AppError, ConflictError, ForbiddenError, UpstreamError, ValidationError } from "../../errors.ts";

type GitLibraryError = Error & { code?: string; data?: { statusCode?: number; prettyDetails?: string } };

/**
 * What a failed remote operation means to the caller, as one of our errors: a refused push or
 * a missing branch is theirs to fix (409, 400), an unreachable or broken remote is an upstream
 * failure (502). Our own errors (a size or address guard in the HTTP client) pass through.
 */
export function remoteError(error: unknown, branch?: string): AppError {
  if (error instanceof AppError) return error;
  const e = error as GitLibraryError;
  switch (e.code) {
    case "PushRejectedError":
      return new ConflictError(
        "The remote has commits this project does not have: pull them first, then push",
      );
    case "GitPushError":
      return new ConflictError(`The remote refused the push: ${e.data?.prettyDetails ?? e.message}`);
    case "HttpError": {
      const status = e.data?.statusCode;
      if (status === 401 || status === 403)
        return new ForbiddenError(
          "The remote refused access: save a personal access token that may read (and push to) it",
          "git_auth",
        );
      if (status === 404) return new ValidationError("url: there is no git repository at this URL", "url");
      return new UpstreamError(`The git remote answered HTTP ${status ?? "error"}`, error);
    }
    case "SmartHttpError":
      return new ValidationError(
        "url: is not a git remote (it did not answer the smart HTTP protocol)",
        "url",
      );
    case "NotFoundError":
      return branch
        ? new ValidationError(`branch: the remote has no branch "${branch}"`, "branch")
        : new UpstreamError("The git remote is missing an object or branch it should have", error);
    case "UserCanceledError":
      return new ForbiddenError("The remote refused the credentials given", "git_auth");
    default:
      return new UpstreamError("The git remote could not be reached or failed", error);
  }
}
