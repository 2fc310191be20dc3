import { PackageURL } from 'packageurl-js';
import { describe, expect, it } from 'vitest';
import { distroEcosystem, makePurl, normalizePypiName, purlToOsv } from './purl.js';

const osv = (purl: string) => purlToOsv(PackageURL.fromString(purl));

describe('purl → OSV', () => {
  it.each([
    [
      'pkg:deb/debian/libssl3@3.0.15-1~deb12u1?distro=debian-12&upstream=openssl',
      'Debian:12',
      'libssl3',
      'openssl',
    ],
    ['pkg:deb/debian/bash@5.0-4?distro=debian-10.2', 'Debian:10', 'bash', undefined],
    ['pkg:deb/debian/tzdata@2024a-0+deb12u1?distro=bookworm', 'Debian:12', 'tzdata', undefined],
    [
      'pkg:deb/ubuntu/pcre3@2:8.39-12ubuntu0.1?distro=focal&source=pcre3',
      'Ubuntu:20.04:LTS',
      'pcre3',
      'pcre3',
    ],
    ['pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.4?distro=ubuntu-22.04', 'Ubuntu:22.04:LTS', 'curl', undefined],
    ['pkg:deb/ubuntu/curl@7.55.1-1ubuntu2?distro=ubuntu-17.10', 'Ubuntu:17.10', 'curl', undefined],
    [
      'pkg:apk/alpine/libcrypto3@3.3.2-r0?distro=alpine-3.20.3&origin=openssl',
      'Alpine:v3.20',
      'libcrypto3',
      'openssl',
    ],
    ['pkg:apk/wolfi/glibc@2.40-r1', 'Wolfi', 'glibc', undefined],
    ['pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?epoch=1', 'Red Hat', 'openssl-libs', undefined],
    ['pkg:rpm/almalinux/openssl@3.0.7-27.el9?distro=almalinux-9.4', 'AlmaLinux:9', 'openssl', undefined],
    ['pkg:rpm/rocky/openssl@3.0.7-27.el9?distro=rocky-9.3', 'Rocky Linux:9', 'openssl', undefined],
    [
      'pkg:rpm/opensuse/libopenssl3@3.1.4-1?distro=opensuse-leap-15.5',
      'openSUSE:Leap 15.5',
      'libopenssl3',
      undefined,
    ],
  ])('%s → %s', (purl, ecosystem, name, sourceName) => {
    const ref = osv(purl);
    expect(ref).toMatchObject({ ecosystem, name });
    expect(ref?.sourceName).toBe(sourceName);
  });

  it('puts the RPM epoch into the version, as OSV writes it', () => {
    expect(osv('pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?epoch=1')?.version).toBe('1:3.0.7-27.el9');
  });

  it.each([
    ['pkg:npm/%40babel/core@7.24.0', 'npm', '@babel/core'],
    ['pkg:pypi/Django_REST.framework@3.15.1', 'PyPI', 'django-rest-framework'],
    ['pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', 'Maven', 'org.apache.logging.log4j:log4j-core'],
    ['pkg:golang/golang.org/x/text@v0.3.7', 'Go', 'golang.org/x/text'],
    ['pkg:cargo/serde@1.0.197', 'crates.io', 'serde'],
    ['pkg:gem/rails@7.1.3', 'RubyGems', 'rails'],
    ['pkg:nuget/Newtonsoft.Json@13.0.1', 'NuGet', 'Newtonsoft.Json'],
    ['pkg:composer/laravel/framework@7.12.0', 'Packagist', 'laravel/framework'],
    ['pkg:pub/http@1.2.0', 'Pub', 'http'],
    ['pkg:hex/phoenix@1.7.10', 'Hex', 'phoenix'],
    ['pkg:cran/ggplot2@3.5.0', 'CRAN', 'ggplot2'],
    ['pkg:hackage/aeson@2.2.1.0', 'Hackage', 'aeson'],
    ['pkg:swift/github.com/apple/swift-nio@2.62.0', 'SwiftURL', 'github.com/apple/swift-nio'],
    ['pkg:cocoapods/Alamofire@5.9.0', 'CocoaPods', 'Alamofire'],
    ['pkg:conan/openssl@3.2.1', 'ConanCenter', 'openssl'],
  ])('%s → %s %s', (purl, ecosystem, name) => {
    expect(osv(purl)).toMatchObject({ ecosystem, name });
  });

  it('has no OSV ecosystem for generic, github or unknown rpm namespaces, nor without a version', () => {
    expect(osv('pkg:generic/postgresql@11.15')).toBeUndefined();
    expect(osv('pkg:github/spdx/tools-java@2235d5d')).toBeUndefined();
    expect(osv('pkg:rpm/fedora/bash@5.2.26-3.fc40')).toBeUndefined();
    expect(osv('pkg:npm/lodash')).toBeUndefined();
  });

  it('normalizes PyPI names per PEP 503', () => {
    expect(normalizePypiName('Foo.Bar__baz')).toBe('foo-bar-baz');
  });

  it('reads distro qualifiers with and without the distribution prefix', () => {
    expect(distroEcosystem('alpine', '3.22.0')).toBe('Alpine:v3.22');
    expect(distroEcosystem('debian', 'debian-9')).toBe('Debian:9');
    expect(distroEcosystem('centos', 'centos-7.6.1810')).toBe('Red Hat:enterprise_linux:7');
    expect(distroEcosystem('debian', undefined)).toBeUndefined();
  });
});

describe('makePurl', () => {
  it.each([
    [
      'Debian:12',
      'openssl',
      '3.0.15-1~deb12u1',
      {},
      'pkg:deb/debian/openssl@3.0.15-1~deb12u1?distro=debian-12',
    ],
    [
      'Ubuntu:22.04:LTS',
      'curl',
      '7.81.0-1ubuntu1.4',
      {},
      'pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.4?distro=ubuntu-22.04',
    ],
    [
      'Alpine:v3.20',
      'musl',
      '1.2.5-r0',
      { arch: 'x86_64' },
      'pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20',
    ],
    [
      'AlmaLinux:9',
      'openssl-libs',
      '1:3.0.7-27.el9',
      {},
      'pkg:rpm/almalinux/openssl-libs@3.0.7-27.el9?distro=almalinux-9&epoch=1',
    ],
    [
      'Maven',
      'org.apache.logging.log4j:log4j-core',
      '2.14.1',
      {},
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
    ],
    ['npm', '@babel/core', '7.24.0', {}, 'pkg:npm/%40babel/core@7.24.0'],
    ['Go', 'golang.org/x/text', 'v0.3.7', {}, 'pkg:golang/golang.org/x/text@v0.3.7'],
  ])('%s %s %s', (ecosystem, name, version, qualifiers, expected) => {
    expect(makePurl(ecosystem, name, version, qualifiers)).toBe(expected);
  });

  it('round-trips through purlToOsv', () => {
    for (const [ecosystem, name, version] of [
      ['Debian:12', 'openssl', '3.0.15-1~deb12u1'],
      ['Alpine:v3.20', 'musl', '1.2.5-r0'],
      ['AlmaLinux:9', 'openssl-libs', '1:3.0.7-27.el9'],
      ['Packagist', 'laravel/framework', '7.12.0'],
      ['crates.io', 'serde', '1.0.197'],
    ] as const) {
      expect(osv(makePurl(ecosystem, name, version) as string)).toMatchObject({ ecosystem, name, version });
    }
  });

  it('gives undefined for an ecosystem without a purl type', () => {
    expect(makePurl('Linux', 'kernel', '6.1')).toBeUndefined();
  });
});
