# syntax=docker/dockerfile:1
# Build a static dnevnik binary, then ship it alone, running as a non-root user.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
        -o /out/dnevnik ./cmd/dnevnik

FROM scratch
# CA certificates to reach Telegram over TLS; the time zone database is in the binary.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/dnevnik /dnevnik
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/dnevnik"]
CMD ["--help"]
