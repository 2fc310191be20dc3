/**
 * Scheme id → implementation, one line each. The OSV ecosystem names a scheme serves are on the
 * scheme itself (`ecosystems`); `ecosystems.ts` derives the lookup from them.
 */
import { apkScheme } from './apk/index.js';
import { cargoScheme } from './cargo/index.js';
import { cocoapodsScheme } from './cocoapods/index.js';
import { conanScheme } from './conan/index.js';
import { cranScheme } from './cran/index.js';
import { dpkgScheme } from './dpkg/index.js';
import { goScheme } from './go/index.js';
import { hackageScheme } from './hackage/index.js';
import { hexScheme } from './hex/index.js';
import { mavenScheme } from './maven/index.js';
import { npmScheme } from './npm/index.js';
import { nugetScheme } from './nuget/index.js';
import { packagistScheme } from './packagist/index.js';
import { pep440Scheme } from './pep440/index.js';
import { pubScheme } from './pub/index.js';
import { rpmScheme } from './rpm/index.js';
import { rubygemsScheme } from './rubygems/index.js';
import { semverScheme } from './semver/index.js';
import type { VersionScheme } from './types.js';

export const versionSchemes: Readonly<Record<string, VersionScheme>> = {
  apk: apkScheme,
  cargo: cargoScheme,
  cocoapods: cocoapodsScheme,
  conan: conanScheme,
  cran: cranScheme,
  dpkg: dpkgScheme,
  go: goScheme,
  hackage: hackageScheme,
  hex: hexScheme,
  maven: mavenScheme,
  npm: npmScheme,
  nuget: nugetScheme,
  packagist: packagistScheme,
  pep440: pep440Scheme,
  pub: pubScheme,
  rpm: rpmScheme,
  rubygems: rubygemsScheme,
  semver: semverScheme,
};
