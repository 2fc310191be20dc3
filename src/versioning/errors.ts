import { PatchcastError } from '../core/errors.js';

/** A version string that is not valid in the scheme that was asked to read it. */
export class InvalidVersionError extends PatchcastError {
  readonly scheme: string;
  readonly version: string;

  constructor(scheme: string, version: string, reason?: string) {
    const why = reason ? `: ${reason}` : '';
    super('VERSION_INVALID', `invalid ${scheme} version ${JSON.stringify(version)}${why}`, {
      details: { scheme, version },
    });
    this.name = 'InvalidVersionError';
    this.scheme = scheme;
    this.version = version;
  }
}

/** A range string that is not valid in the native range syntax of the scheme. */
export class InvalidRangeError extends PatchcastError {
  constructor(scheme: string, range: string, reason?: string) {
    const why = reason ? `: ${reason}` : '';
    super('VERSION_INVALID_RANGE', `invalid ${scheme} range ${JSON.stringify(range)}${why}`, {
      details: { scheme, range },
    });
    this.name = 'InvalidRangeError';
  }
}

/** An ecosystem name no scheme serves. The message lists the known ones. */
export class UnknownEcosystemError extends PatchcastError {
  constructor(ecosystem: string, known: readonly string[]) {
    super(
      'VERSION_UNKNOWN_ECOSYSTEM',
      `unknown ecosystem ${JSON.stringify(ecosystem)}; known: ${known.join(', ')}`,
      {
        details: { ecosystem, known },
      },
    );
    this.name = 'UnknownEcosystemError';
  }
}
