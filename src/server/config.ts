/**
 * Loads the municipality's configuration file (MUNICIPALITY_CONFIG, default config/varmdo.json)
 * and refuses to start on a mistake, naming each wrong value and where it is.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { municipalityConfigSchema, type MunicipalityConfig } from '../config/schema';

/** Reads and validates the configuration file at `path` (relative to the working directory). */
export function loadMunicipalityConfig(path: string): MunicipalityConfig {
  const fullPath = resolve(path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(fullPath, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the municipality configuration ${fullPath}: ${(error as Error).message}`);
  }
  const parsed = municipalityConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`the municipality configuration ${fullPath} is not valid:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
