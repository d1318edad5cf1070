// Helpers of the in-memory fake backend (dev `?mock` mode and tests only).
import { AppError } from '../errors';
import type { SnippetPart, Strength } from '../bindings';

export function now(): string {
  return new Date().toISOString();
}

export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function invalid(field: string, reason: string): AppError {
  return new AppError('validation', `invalid ${field}: ${reason}`, { field, reason });
}

export function matches(text: string, tokens: string[]): boolean {
  const words = fold(text).split(/[^\p{L}\p{N}]+/u);
  return tokens.every((t) => words.some((w) => w.startsWith(t)));
}

export function snippet(text: string, tokens: string[]): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const piece of text.split(/([\p{L}\p{N}]+)/u)) {
    if (!piece) continue;
    const hit = /[\p{L}\p{N}]/u.test(piece) && tokens.some((t) => fold(piece).startsWith(t));
    const last = parts[parts.length - 1];
    if (last && last.hit === hit && !hit) last.text += piece;
    else parts.push({ text: piece, hit });
  }
  return parts;
}

/** A rough stand-in for zxcvbn: long, varied passphrases pass. */
export function strength(p: string): Strength {
  const words = p.trim().split(/\s+/).filter(Boolean).length;
  const classes = [/[a-zåäöæø]/, /[A-ZÅÄÖÆØ]/, /\d/, /[^\w\s]/].filter((r) => r.test(p)).length;
  let score = Math.min(4, Math.floor(p.length / 6) + (words >= 3 ? 1 : 0) + (classes >= 3 ? 1 : 0) - (p.length < 8 ? 2 : 0));
  if (/^(password|qwerty|123456)/i.test(p)) score = 0;
  score = Math.max(0, score);
  const acceptable = score >= 3;
  return {
    score,
    acceptable,
    warning: acceptable ? null : words <= 1 && p.length > 0 ? { code: 'a_word_by_itself_is_easy_to_guess', text: '' } : null,
    suggestions: acceptable ? [] : [{ code: 'add_another_word_or_two', text: '' }],
  };
}
