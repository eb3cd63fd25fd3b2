/** Where one clause of a message ends: "no, still the old one" is the reply "no" and a remark. */
const CLAUSE_BREAK = /[,;:.!?…]+\s*|\s[-–—]\s/u;

/** The clauses of a message, in order, trimmed, without empty ones. */
export function clauses(text: string): string[] {
  return text
    .split(CLAUSE_BREAK)
    .map((clause) => clause.trim())
    .filter(Boolean);
}
