# Multi-stage build: a static Go binary on a slim Debian that has poppler
# (the PDF checker's text layout comes from pdftohtml, thumbnails from
# pdftoppm) and util-linux (prlimit, its sandbox). quire refuses to start
# without them.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=docker
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/quire ./cmd/quire

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends poppler-utils qpdf util-linux ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/quire --shell /usr/sbin/nologin quire \
 && mkdir -p /var/lib/quire && chown quire:quire /var/lib/quire
COPY --from=build /out/quire /usr/local/bin/quire
USER quire
ENV QUIRE_LISTEN=:8080 QUIRE_DATA_DIR=/var/lib/quire
VOLUME /var/lib/quire
EXPOSE 8080
ENTRYPOINT ["quire"]
CMD ["serve"]
