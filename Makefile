# Convenience targets; the README's two commands are bash scripts/demo.sh and bash scripts/test.sh.
.PHONY: demo test build release clean
demo:
	./scripts/demo.sh
test:
	./scripts/test.sh
build:
	swift build
release:
	swift build -c release --product otklik
clean:
	rm -rf .build state out
