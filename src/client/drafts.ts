/** Drafts on this device: saved as the person types, offered back when they return, removed once sent. */
import { draftKey, portalDatabase, type Draft } from './database';
import type { ErrandType } from '../lib/intake/schema';

/** The saved draft of an errand in a language, if any. */
export async function loadDraft(type: ErrandType, locale: string): Promise<Draft | undefined> {
  return (await portalDatabase()).get('drafts', draftKey(type, locale));
}

/** Saves (replaces) the draft of an errand in a language. */
export async function saveDraft(type: ErrandType, locale: string, draft: Draft): Promise<void> {
  await (await portalDatabase()).put('drafts', draft, draftKey(type, locale));
}

/** Removes the draft of an errand in a language. */
export async function deleteDraft(type: ErrandType, locale: string): Promise<void> {
  await (await portalDatabase()).delete('drafts', draftKey(type, locale));
}
