# syntax=docker/dockerfile:1
# OpsDesk worker image: the worker host and the ops CLI, 'opsdesk' on the PATH.
#   docker build -f deploy/worker.Dockerfile -t opsdesk-worker .
#   docker run --rm opsdesk-worker migrate      # one-shot: apply migrations
#   docker run opsdesk-worker                   # the worker host
# Multi-stage: the SDK image builds, the ASP.NET runtime image runs, as the non-root 'app' user.

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
ARG TARGETARCH
WORKDIR /src

COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY OpsDesk.Db/OpsDesk.Db.csproj OpsDesk.Db/
COPY OpsDesk.Workflows/OpsDesk.Workflows.csproj OpsDesk.Workflows/
COPY OpsDesk.Api/OpsDesk.Api.csproj OpsDesk.Api/
COPY OpsDesk.Worker/OpsDesk.Worker.csproj OpsDesk.Worker/
RUN dotnet restore OpsDesk.Worker/OpsDesk.Worker.csproj -a $TARGETARCH

COPY OpsDesk.Db/ OpsDesk.Db/
COPY OpsDesk.Workflows/ OpsDesk.Workflows/
# The offline classifier's training data includes the labelled triage sets, embedded from the test fixtures
# (OpsDesk.Workflows.csproj names each file; nothing else of the tests is built here).
COPY OpsDesk.Tests/Fixtures/triage/ OpsDesk.Tests/Fixtures/triage/
COPY OpsDesk.Api/ OpsDesk.Api/
COPY OpsDesk.Worker/ OpsDesk.Worker/
# The worker references the API project for dev mode only; its csproj leaves the API's appsettings
# out of this publish folder. The benchmark tooling (deploy/bench/OpsDesk.Bench) is not in this image.
RUN dotnet publish OpsDesk.Worker/OpsDesk.Worker.csproj -c Release -a $TARGETARCH --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS runtime
WORKDIR /app
COPY --from=build /app ./
RUN ln -s /app/opsdesk /usr/local/bin/opsdesk
USER $APP_UID
ENTRYPOINT ["opsdesk"]
