# Multi-stage: compile one self-contained binary with Deno, then ship it in an empty (scratch) image with only
# the shared libraries it links, CA certificates, and a data volume.
FROM denoland/deno:debian-2.9.6 AS build
WORKDIR /app
COPY deno.json deno.lock ./
COPY src ./src
COPY views ./views
COPY static ./static
RUN deno install --frozen \
 && deno compile --unstable-no-legacy-abort --v8-flags=--max-semi-space-size=4,--heap-growing-percent=100,--always-sparkplug --allow-net --allow-read --allow-write --allow-env --allow-sys \
      --include views --include static -o /out/switchyard src/main.ts
# Collect the dynamic libraries the binary links (glibc, libgcc, …) and the loader, keeping their paths.
RUN mkdir -p /rootfs/etc/ssl/certs /rootfs/data /rootfs/tmp \
 && chmod 1777 /rootfs/tmp \
 && ldd /out/switchyard | grep -oE '/[^ ]+' | sort -u | xargs -I{} cp --parents -L {} /rootfs/ \
 && cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/ \
 && echo 'switchyard:x:1000:1000::/data:/switchyard' > /rootfs/etc/passwd \
 && chown 1000:1000 /rootfs/data

FROM scratch
COPY --from=build /rootfs/ /
COPY --from=build /out/switchyard /switchyard
ENV HOST=0.0.0.0 \
    PORT=20128 \
    DATA_DIR=/data \
    HOME=/data \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 1000:1000
VOLUME ["/data"]
EXPOSE 20128
ENTRYPOINT ["/switchyard"]
CMD ["serve"]
