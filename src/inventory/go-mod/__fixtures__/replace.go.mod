// A service module with the go.mod features Go documents: blocks, single-line requires,
// quoted paths, retract/exclude/tool/godebug, and replacements by module and by directory.
module example.com/service

go 1.22.0

toolchain go1.22.4

godebug default=go1.21

require golang.org/x/text v0.14.0

require (
	"github.com/google/uuid" v1.6.0
	github.com/pkg/errors v0.9.1 // indirect
	example.com/internal/lib v0.0.0-00010101000000-000000000000
	gopkg.in/yaml.v3 v3.0.1 // indirect; pinned for CVE-2022-28948
	github.com/old/fork v1.2.0
)

exclude golang.org/x/net v0.0.1

replace (
	example.com/internal/lib => ../lib
	github.com/old/fork v1.2.0 => github.com/new/fork v1.2.3
)

retract v0.9.0 // published by mistake

tool golang.org/x/tools/cmd/stringer
