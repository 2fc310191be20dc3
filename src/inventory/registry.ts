import { agentReportFormat } from './agent-report/index.js';
import { apkInstalledFormat } from './apk-installed/index.js';
import { assetRegistryFormat } from './asset-registry/index.js';
import { bunLockFormat } from './bun-lock/index.js';
import { cargoLockFormat } from './cargo-lock/index.js';
import { composerLockFormat } from './composer-lock/index.js';
import { conanLockFormat } from './conan-lock/index.js';
import { cyclonedxFormat } from './cyclonedx/index.js';
import { dotnetDepsFormat } from './dotnet-deps/index.js';
import { dpkgStatusFormat } from './dpkg-status/index.js';
import { gemfileLockFormat } from './gemfile-lock/index.js';
import { goBinaryFormat } from './go-binary/index.js';
import { goModFormat } from './go-mod/index.js';
import { gradleLockfileFormat } from './gradle-lockfile/index.js';
import { mavenPomFormat } from './maven-pom/index.js';
import { mixLockFormat } from './mix-lock/index.js';
import { nugetLockFormat } from './nuget-lock/index.js';
import { osReleaseFormat } from './os-release/index.js';
import { packageLockFormat } from './package-lock/index.js';
import { pipfileLockFormat } from './pipfile-lock/index.js';
import { pnpmLockFormat } from './pnpm-lock/index.js';
import { podfileLockFormat } from './podfile-lock/index.js';
import { poetryLockFormat } from './poetry-lock/index.js';
import { pubspecLockFormat } from './pubspec-lock/index.js';
import { pylockFormat } from './pylock/index.js';
import { requirementsTxtFormat } from './requirements-txt/index.js';
import { rpmQaFormat } from './rpm-qa/index.js';
import { sbtLockFormat } from './sbt-lock/index.js';
import { spdxFormat } from './spdx/index.js';
import { swiftResolvedFormat } from './swift-resolved/index.js';
import type { InventoryFormat } from './types.js';
import { uvLockFormat } from './uv-lock/index.js';
import { yarnLockFormat } from './yarn-lock/index.js';

/** Every inventory format, one line each (id → implementation). Order matters only for readability. */
export const INVENTORY_FORMATS: readonly InventoryFormat[] = [
  packageLockFormat,
  yarnLockFormat,
  pnpmLockFormat,
  bunLockFormat,
  requirementsTxtFormat,
  poetryLockFormat,
  pipfileLockFormat,
  uvLockFormat,
  pylockFormat,
  goModFormat,
  goBinaryFormat,
  cargoLockFormat,
  dpkgStatusFormat,
  apkInstalledFormat,
  rpmQaFormat,
  osReleaseFormat,
  cyclonedxFormat,
  spdxFormat,
  agentReportFormat,
  assetRegistryFormat,
  gemfileLockFormat,
  composerLockFormat,
  nugetLockFormat,
  dotnetDepsFormat,
  mavenPomFormat,
  gradleLockfileFormat,
  sbtLockFormat,
  pubspecLockFormat,
  swiftResolvedFormat,
  podfileLockFormat,
  conanLockFormat,
  mixLockFormat,
];
