# Convenience targets; the README's two commands are bash scripts/demo.sh and bash scripts/test.sh.
.PHONY: demo test build release clean fuzz soak sanitize
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
# Reliability (docs/reliability-fuzzing.md): make fuzz FUZZ_SECONDS=300, make soak SOAK_MINUTES=10.
fuzz:
	./scripts/fuzz.sh $(or $(FUZZ_SECONDS),60)
soak:
	./scripts/soak.sh $(or $(SOAK_MINUTES),10)
sanitize:
	./scripts/sanitize.sh
