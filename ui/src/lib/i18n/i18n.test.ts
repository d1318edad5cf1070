import { describe, expect, it } from 'vitest';
import {
  BREACH_NATURES,
  BREACH_RISKS,
  CLOCK_STARTS,
  CONSENT_FORMS,
  CONSENT_PURPOSES,
  DATA_CATEGORIES,
  HOLD_REASONS,
  INFORM_CLIENTS,
  KEEP_REASONS,
  LANGUAGES,
  PARTS,
  PHASES,
  RECORD_KINDS,
} from '../enums';
import { catalogs, languageFrom, lookup, reasonText, setLanguage, setPractice, t, translate } from './index.svelte';
import { en } from './en';
import { ERROR_CODES } from '../error-codes';
import { ACTIONS, BACKUP_CHECKS, OBJECT_KINDS, REASONS } from '../bindings';

type Tree = { [k: string]: string | Tree };

function leaves(node: Tree, prefix = ''): Map<string, string | Tree> {
  const out = new Map<string, string | Tree>();
  for (const [k, v] of Object.entries(node)) {
    const key = prefix ? `${prefix}.${k}` : k;
    const isPlural = typeof v === 'object' && 'other' in v && 'one' in v;
    if (typeof v === 'string' || isPlural) out.set(key, v);
    else for (const [k2, v2] of leaves(v as Tree, key)) out.set(k2, v2);
  }
  return out;
}

function placeholders(v: string | Tree): string[] {
  const text = typeof v === 'string' ? v : Object.values(v).join(' ');
  return [...new Set(text.match(/\{\w+\}/g) ?? [])].sort();
}

const reference = leaves(en as unknown as Tree);

describe('translations', () => {
  for (const lang of LANGUAGES) {
    it(`${lang} has every key, no extra keys, and the same placeholders`, () => {
      const mine = leaves(catalogs[lang] as unknown as Tree);
      const missing = [...reference.keys()].filter((k) => !mine.has(k));
      const extra = [...mine.keys()].filter((k) => !reference.has(k));
      expect(missing).toEqual([]);
      expect(extra).toEqual([]);
      for (const [k, v] of reference) {
        const other = mine.get(k)!;
        expect(typeof other, k).toBe(typeof v);
        expect(placeholders(other), k).toEqual(placeholders(v));
        if (typeof other === 'string') expect(other.trim(), k).not.toBe('');
      }
    });
  }

  it('detects an empty or missing translation', () => {
    // The comparison above must be able to fail: a catalog missing one key is reported.
    const broken = JSON.parse(JSON.stringify(en)) as Tree;
    delete (broken.common as Tree).save;
    const mine = leaves(broken);
    expect([...reference.keys()].filter((k) => !mine.has(k))).toEqual(['common.save']);
  });

  it('every error code has a message in every language', () => {
    for (const lang of LANGUAGES) {
      for (const code of [...ERROR_CODES, 'unknown']) {
        expect(typeof lookup(catalogs[lang], `errors.code.${code}`), `${lang} ${code}`).toBe('string');
      }
    }
  });

  it('lists each error code once (the compiler checks that none is missing)', () => {
    expect(ERROR_CODES.length).toBeGreaterThan(20);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('has text for every access-log action, record kind, field reason, backup check, progress phase, consent and breach choice, and passphrase hint the core can send', () => {
    // zxcvbn 3 Warning and Suggestion variants, snake_cased as the core sends them.
    const hints = [
      'straight_rows_of_keys_are_easy_to_guess',
      'short_keyboard_patterns_are_easy_to_guess',
      'repeats_like_aaa_are_easy_to_guess',
      'repeats_like_abc_abc_are_only_slightly_harder_to_guess',
      'this_is_a_top10_password',
      'this_is_a_top100_password',
      'this_is_a_common_password',
      'this_is_similar_to_a_commonly_used_password',
      'sequences_like_abc_are_easy_to_guess',
      'recent_years_are_easy_to_guess',
      'a_word_by_itself_is_easy_to_guess',
      'dates_are_often_easy_to_guess',
      'names_and_surnames_by_themselves_are_easy_to_guess',
      'common_names_and_surnames_are_easy_to_guess',
      'use_a_few_words_avoid_common_phrases',
      'no_need_for_symbols_digits_or_uppercase_letters',
      'add_another_word_or_two',
      'capitalization_doesnt_help_very_much',
      'all_uppercase_is_almost_as_easy_to_guess_as_all_lowercase',
      'reversed_words_arent_much_harder_to_guess',
      'predictable_substitutions_dont_help_very_much',
      'use_a_longer_keyboard_pattern_with_more_turns',
      'avoid_repeated_words_and_characters',
      'avoid_sequences',
      'avoid_recent_years',
      'avoid_years_that_are_associated_with_you',
      'avoid_dates_and_years_that_are_associated_with_you',
      // Confidant's own rule (confidant_core::keys::strength::NAMES_HINT).
      'names_of_you_or_your_practice_are_easy_to_guess',
    ];
    for (const lang of LANGUAGES) {
      for (const a of ACTIONS) expect(typeof lookup(catalogs[lang], `log.actions.${a}`), a).toBe('string');
      for (const k of OBJECT_KINDS) expect(typeof lookup(catalogs[lang], `log.objects.${k}`), k).toBe('string');
      for (const r of REASONS) expect(typeof lookup(catalogs[lang], `errors.reason.${r}`), r).toBe('string');
      for (const c of BACKUP_CHECKS) expect(typeof lookup(catalogs[lang], `backup.checks.${c}`), c).toBe('string');
      for (const p of PHASES) expect(typeof lookup(catalogs[lang], `backup.phase.${p}`), p).toBe('string');
      for (const k of RECORD_KINDS) expect(typeof lookup(catalogs[lang], `law.kinds.${k}`), k).toBe('string');
      for (const c of CLOCK_STARTS) expect(typeof lookup(catalogs[lang], `law.starts.${c}`), c).toBe('string');
      for (const d of ['keep_at_least', 'delete_after']) expect(typeof lookup(catalogs[lang], `law.duty.${d}`), d).toBe('string');
      for (const r of HOLD_REASONS) expect(typeof lookup(catalogs[lang], `rights.reasons.${r}`), r).toBe('string');
      for (const p of PARTS) expect(typeof lookup(catalogs[lang], `rights.parts.${p}`), p).toBe('string');
      for (const k of KEEP_REASONS) expect(typeof lookup(catalogs[lang], `rights.keep.${k}`), k).toBe('string');
      for (const p of CONSENT_PURPOSES) expect(typeof lookup(catalogs[lang], `consents.purposes.${p}`), p).toBe('string');
      for (const f of CONSENT_FORMS) expect(typeof lookup(catalogs[lang], `consents.forms.${f}`), f).toBe('string');
      for (const n of BREACH_NATURES) expect(typeof lookup(catalogs[lang], `breaches.natures.${n}`), n).toBe('string');
      for (const c of DATA_CATEGORIES) expect(typeof lookup(catalogs[lang], `breaches.category.${c}`), c).toBe('string');
      for (const r of BREACH_RISKS) {
        expect(typeof lookup(catalogs[lang], `breaches.risks.${r}`), r).toBe('string');
        expect(typeof lookup(catalogs[lang], `breaches.risk_hints.${r}`), r).toBe('string');
      }
      for (const i of INFORM_CLIENTS) expect(typeof lookup(catalogs[lang], `breaches.inform.${i}`), i).toBe('string');
      for (const h of hints) expect(typeof lookup(catalogs[lang], `strength.hints.${h}`), h).toBe('string');
    }
  });
});

describe('words that follow the practice and the field', () => {
  it('uses the talk words for a practice outside the licensed professions', () => {
    setLanguage('sv');
    setPractice('se_licensed');
    expect(t('journal.courses')).toBe('Behandlingar');
    setPractice('se_other');
    expect(t('journal.courses')).toBe('Samtalsserier');
    expect(t('entry.course')).toBe('Samtalsserie');
    // Keys the overlay does not name are the usual ones.
    expect(t('journal.logbook')).toBe(translate('sv', 'journal.logbook'));
    setPractice('se_licensed');
    setLanguage('en');
  });

  it('says what to type in a field with a text of its own, else the reason', () => {
    setLanguage('sv');
    expect(reasonText('format', 'email')).toBe('Skriv en e-postadress, t.ex. namn@exempel.se.');
    expect(reasonText('format', 'postal_code')).toBe('Formatet är inte giltigt.');
    expect(reasonText('format')).toBe('Formatet är inte giltigt.');
    setLanguage('en');
  });
});

describe('plural rules and formatting', () => {
  it('chooses plural forms per language', () => {
    expect(translate('en', 'search.count', { count: 1 })).toBe('1 result');
    expect(translate('en', 'search.count', { count: 3 })).toBe('3 results');
    expect(translate('sv', 'search.count', { count: 1 })).toBe('1 träff');
    expect(translate('sv', 'search.count', { count: 2 })).toBe('2 träffar');
    expect(translate('da', 'journal.amendments', { count: 2 })).toBe('2 rettelser');
    expect(translate('en', 'clients.count', { count: 0 })).toBe('No clients');
  });

  it('formats numbers in placeholders per locale', () => {
    expect(translate('sv', 'search.count', { count: 1200 })).toMatch(/^1\s200 träffar$/);
    expect(translate('en', 'search.count', { count: 1200 })).toBe('1,200 results');
  });

  it('defaults the language from the system', () => {
    expect(languageFrom(null, ['sv-SE'])).toBe('sv');
    expect(languageFrom(null, ['da'])).toBe('da');
    expect(languageFrom(null, ['fr-FR', 'en-US'])).toBe('en');
    expect(languageFrom(null, ['de-DE'])).toBe('en');
    expect(languageFrom('da', ['sv-SE'])).toBe('da');
  });
});
