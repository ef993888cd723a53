import { Badge, type BadgeTone } from "../components/_badge.tsx";

export const LANGUAGE_LABELS: Record<string, string> = {
  javascript: "JavaScript",
  typescript: "TypeScript",
  python: "Python",
  html: "HTML",
  css: "CSS",
};

const TONES: Record<string, BadgeTone> = {
  javascript: "amber",
  typescript: "sky",
  python: "emerald",
  html: "orange",
  css: "violet",
};

/** The project's language as a small coloured pill. */
export function LanguageBadge({ language }: { language: string | null }) {
  const key = language ?? "";
  return (
    <Badge tone={TONES[key] ?? "neutral"} safe>
      {LANGUAGE_LABELS[key] ?? (language || "Other")}
    </Badge>
  );
}
