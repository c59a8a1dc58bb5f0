# syntax=docker/dockerfile:1
# OpsDesk API image. Build from the repository root:
#   docker build -f deploy/api.Dockerfile -t opsdesk-api .
# Multi-stage: the SDK image builds, the ASP.NET runtime image runs, as the non-root 'app' user.

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
ARG TARGETARCH
WORKDIR /src

# Restore first, from the project files alone, so source edits reuse the restored layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY OpsDesk.Db/OpsDesk.Db.csproj OpsDesk.Db/
COPY OpsDesk.Workflows/OpsDesk.Workflows.csproj OpsDesk.Workflows/
COPY OpsDesk.Api/OpsDesk.Api.csproj OpsDesk.Api/
RUN dotnet restore OpsDesk.Api/OpsDesk.Api.csproj -a $TARGETARCH

COPY OpsDesk.Db/ OpsDesk.Db/
COPY OpsDesk.Workflows/ OpsDesk.Workflows/
# The offline classifier's training data includes the labelled triage sets, embedded from the test fixtures
# (OpsDesk.Workflows.csproj names each file; nothing else of the tests is built here).
COPY OpsDesk.Tests/Fixtures/triage/ OpsDesk.Tests/Fixtures/triage/
COPY OpsDesk.Api/ OpsDesk.Api/
RUN dotnet publish OpsDesk.Api/OpsDesk.Api.csproj -c Release -a $TARGETARCH --no-restore -p:UseAppHost=false -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The image listens on 8080 (ASPNETCORE_HTTP_PORTS); docker-compose.yml publishes it as 5080.
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "OpsDesk.Api.dll"]
