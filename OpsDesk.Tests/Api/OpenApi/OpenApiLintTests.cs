using System.Diagnostics;
using System.Text.Json.Nodes;
using OpsDesk.Tests.Support;

namespace OpsDesk.Tests.Api.OpenApi;

/// <summary>
/// Redocly's recommended rules (@redocly/cli, pinned in deploy/openapi/package-lock.json) over the served
/// document: no error and no warning. Skips only when Node.js is not installed; .ci/run installs it and runs npm ci.
/// </summary>
public sealed class OpenApiLintTests
{
    private static readonly TimeSpan LintTimeout = TimeSpan.FromMinutes(2);

    [TestCase(TestName = "Served document passes redocly's recommended rules with no error or warning")]
    [TestCase("https://login.opsdesk.test/", false, TestName = "Served document with JWT on and anonymous create off passes redocly's recommended rules with no error or warning")]
    public async Task Served_document_passes_redocly_recommended_rules(string? jwtAuthority = null, bool anonymousCreate = true)
    {
        var node = FindOnPath("node");
        if (node is null)
            Assert.Ignore("Node.js is not installed (node not on PATH): install it and run `npm ci --prefix deploy/openapi`; .ci/run does both.");
        var cli = OpenApiDocuments.RepoPath("deploy/openapi/node_modules/@redocly/cli/bin/cli.js");
        Assert.That(File.Exists(cli), Is.True, "Redocly CLI is not installed: run `npm ci --prefix deploy/openapi` (.ci/run does).");

        var settings = new Dictionary<string, string?> { ["Auth:AllowAnonymousCreate"] = anonymousCreate ? "true" : "false" };
        if (jwtAuthority is not null)
        {
            settings["Auth:Jwt:Authority"] = jwtAuthority;
            settings["Auth:Jwt:Audience"] = "opsdesk-api";
        }

        await using var factory = new ApiFactory(settings);
        var file = Path.Combine(Path.GetTempPath(), $"opsdesk-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await OpenApiDocuments.FetchAsync(factory));
        try
        {
            var (exitCode, stdout, stderr) = await RunAsync(node!, cli, "lint", file, "--config", OpenApiDocuments.RepoPath("deploy/openapi/redocly.yaml"), "--format=json");
            var start = stdout.IndexOf('{', StringComparison.Ordinal);
            Assert.That(start, Is.GreaterThanOrEqualTo(0), $"redocly printed no JSON report (exit {exitCode}): {stdout}\n{stderr}");
            var report = JsonNode.Parse(stdout[start..])!;
            var problems = string.Join("\n", report["problems"]!.AsArray().Select(p =>
                $"{p!["severity"]} {p["ruleId"]} at {p["location"]?[0]?["pointer"]}: {p["message"]}"));

            Assert.Multiple(() =>
            {
                Assert.That(report["totals"]!["errors"]!.GetValue<int>(), Is.Zero, problems);
                Assert.That(report["totals"]!["warnings"]!.GetValue<int>(), Is.Zero, problems);
                Assert.That(exitCode, Is.Zero, stderr);
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = OpenApiDocuments.RepoPath("deploy/openapi"),
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // No telemetry or update check from a test run.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(LintTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"redocly lint did not finish within {LintTimeout.TotalSeconds} s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
