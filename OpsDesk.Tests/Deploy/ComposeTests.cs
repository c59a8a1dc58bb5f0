using System.Text.RegularExpressions;
using OpsDesk.Workflows.Temporal;

namespace OpsDesk.Tests.Deploy;

/// <summary>
/// docker-compose.yml read as Compose reads it. No Docker engine runs here, so these checks are what
/// can be known without starting the stack: health checks, pinned images, dependency conditions,
/// ports, and that every setting the OpsDesk containers get is one the code binds.
/// </summary>
[TestFixture]
public sealed partial class ComposeTests
{
    /// <summary>
    /// Keys the stack sets whose options classes land from parallel work. Each is accepted only while
    /// no options class binds its section at all; once one does, the key must bind like any other.
    /// </summary>
    private static readonly string[] PendingKeys = [];

    private static readonly string[] PublishingServices = ["opsdesk-api", "temporal-ui", "observability"];

    private ComposeFile compose = null!;

    [OneTimeSetUp]
    public void LoadCompose() => compose = ComposeFile.Load(RepoFiles.Path("docker-compose.yml"));

    [Test]
    public void The_stack_has_every_service_the_system_needs()
    {
        Assert.That(compose.Services.Keys, Is.SupersetOf(new[]
        {
            "postgres", "redpanda", "temporal", "temporal-setup", "temporal-ui", "opsdesk-migrate", "opsdesk-api", "opsdesk-worker",
        }));
    }

    [Test]
    public void Every_service_has_a_health_check()
    {
        var missing = compose.Services
            .Where(s => ComposeFile.Map(s.Value, "healthcheck") is not { } hc
                        || !hc.ContainsKey("test")
                        || ComposeFile.Scalar(hc, "disable") == "true")
            .Select(s => s.Key)
            .ToList();
        Assert.That(missing, Is.Empty, "services without a health check");
    }

    [Test]
    public void Every_service_runs_a_pinned_image_or_one_built_from_this_repository()
    {
        var unpinned = new List<string>();
        foreach (var (name, service) in compose.Services)
        {
            if (service.ContainsKey("build"))
                continue;
            var image = ComposeFile.Scalar(service, "image");
            if (image is null || !IsPinned(image))
                unpinned.Add($"{name}: {image ?? "(no image)"}");
        }

        Assert.That(unpinned, Is.Empty, "images must carry a version tag (not latest) or a digest");
    }

    [Test]
    public void Services_wait_for_one_shot_steps_to_complete_and_for_the_others_to_be_healthy()
    {
        var problems = new List<string>();
        foreach (var (name, service) in compose.Services)
        {
            if (!service.TryGetValue("depends_on", out var deps))
                continue;
            if (deps is not Dictionary<object, object> map)
            {
                problems.Add($"{name}: depends_on must name a condition for each dependency");
                continue;
            }

            foreach (var (dep, spec) in map)
            {
                var target = (string)dep;
                var condition = spec is Dictionary<object, object> s ? ComposeFile.Scalar(s, "condition") : null;
                if (!compose.Services.TryGetValue(target, out var depService))
                {
                    problems.Add($"{name}: depends on unknown service {target}");
                    continue;
                }

                var expected = IsOneShot(depService) ? "service_completed_successfully" : "service_healthy";
                if (condition != expected)
                    problems.Add($"{name} → {target}: condition {condition ?? "(none)"}, expected {expected}");
            }
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Only_the_api_and_the_uis_publish_ports()
    {
        var publishing = compose.Services.Where(s => ComposeFile.List(s.Value, "ports").Count > 0).Select(s => s.Key);
        Assert.That(publishing, Is.EquivalentTo(PublishingServices));
    }

    [Test]
    public void Published_host_ports_do_not_clash()
    {
        var published = compose.Services
            .SelectMany(s => ComposeFile.List(s.Value, "ports").Select(p => (Service: s.Key, Binding: HostBinding(p))))
            .ToList();
        var clashes = published.GroupBy(p => p.Binding.Port)
            .Where(g => g.Count() > 1)
            .Select(g => $"host port {g.Key}: {string.Join(", ", g.Select(p => p.Service))}")
            .ToList();
        Assert.That(clashes, Is.Empty);
        Assert.That(published.Select(p => p.Binding.Port), Does.Contain(5080).And.Contain(8080).And.Contain(3000));
    }

    [TestCase(null)]
    [TestCase("sk-test-key")]
    public void Every_setting_the_opsdesk_containers_get_is_one_the_code_binds(string? openAiKey)
    {
        var bound = BoundConfiguration.Discover();
        Assert.That(bound.OptionsTypes.Keys, Does.Contain("Temporal").And.Contain("Database"), "options discovery found nothing");

        var unbound = new List<string>();
        var pending = new List<string>();
        foreach (var (name, service) in compose.OpsDeskServices)
        {
            foreach (var variable in SettingsOf(service, openAiKey).Keys)
            {
                if (IsStandardVariable(variable))
                    continue;
                var key = variable.Replace("__", ":", StringComparison.Ordinal);
                if (bound.Binds(key))
                    continue;
                if (PendingKeys.Contains(key, StringComparer.OrdinalIgnoreCase) && !bound.BindsSection(key.Split(':')[0]))
                    pending.Add($"{name}: {variable}");
                else
                    unbound.Add($"{name}: {variable}");
            }
        }

        if (pending.Count > 0)
            TestContext.Out.WriteLine("Accepted while their options classes are not in this build: " + string.Join(", ", pending.Distinct()));
        Assert.That(unbound, Is.Empty, "environment variables that no options class binds (Section__Property)");
    }

    [Test]
    public void Triage_uses_openai_when_OPENAI_API_KEY_is_set_and_the_local_classifier_otherwise()
    {
        var api = compose.Services["opsdesk-api"];
        Assert.Multiple(() =>
        {
            Assert.That(SettingsOf(api, openAiKey: null)["Triage__Provider"], Is.EqualTo("local"));
            Assert.That(SettingsOf(api, openAiKey: "")["Triage__Provider"], Is.EqualTo("local"));
            Assert.That(SettingsOf(api, openAiKey: "sk-test-key")["Triage__Provider"], Is.EqualTo("openai"));
            Assert.That(SettingsOf(api, openAiKey: "sk-test-key")["OpenAI__ApiKey"], Is.EqualTo("sk-test-key"));
        });
    }

    [Test]
    public void Opsdesk_containers_reach_postgres_temporal_and_kafka_by_their_service_names()
    {
        foreach (var (name, service) in compose.OpsDeskServices)
        {
            var settings = SettingsOf(service, openAiKey: null);
            var cs = new Npgsql.NpgsqlConnectionStringBuilder(settings["ConnectionStrings__OpsDesk"]);
            Assert.Multiple(() =>
            {
                Assert.That(compose.Services.Keys, Does.Contain(cs.Host), $"{name}: database host");
                Assert.That(cs.Database, Is.EqualTo("opsdesk"), $"{name}: database");
                Assert.That(compose.Services.Keys, Does.Contain(settings["Temporal__Address"]!.Split(':')[0]), $"{name}: Temporal host");
                Assert.That(compose.Services.Keys, Does.Contain(settings["Kafka__BootstrapServers"]!.Split(':')[0]), $"{name}: Kafka host");
                Assert.That(settings["Database__MigrateOnStart"], Is.EqualTo("false"), $"{name}: migrations belong to opsdesk-migrate");
            });
        }
    }

    [Test]
    public void The_api_gets_the_connection_settings_the_docs_recommend_and_the_restart_test_runs_with()
    {
        var cs = new Npgsql.NpgsqlConnectionStringBuilder(SettingsOf(compose.Services["opsdesk-api"], openAiKey: null)["ConnectionStrings__OpsDesk"]);
        var recommended = new Npgsql.NpgsqlConnectionStringBuilder(Support.ApiFactory.ApiConnectionExtras);
        var docs = RepoFiles.Read("README.md") + RepoFiles.Read("deploy/README.md");

        Assert.Multiple(() =>
        {
            Assert.That(cs.Multiplexing, Is.False, "multiplexing hung the API after a PostgreSQL restart (issue 14)");
            Assert.That(cs.NoResetOnClose, Is.EqualTo(recommended.NoResetOnClose));
            Assert.That(recommended.Multiplexing, Is.False);
            Assert.That(docs, Does.Contain("`No Reset On Close=true;Maximum Pool Size=N`"));
        });
    }

    [Test]
    public void The_migrate_step_runs_opsdesk_migrate_from_the_worker_image()
    {
        var migrate = compose.Services["opsdesk-migrate"];
        var build = ComposeFile.Map(migrate, "build")!;
        Assert.Multiple(() =>
        {
            Assert.That(ComposeFile.Scalar(build, "dockerfile"), Is.EqualTo("deploy/worker.Dockerfile"));
            Assert.That(ComposeFile.List(migrate, "command"), Is.EqualTo(new[] { "migrate" }));
            Assert.That(ComposeFile.Scalar(migrate, "restart"), Is.EqualTo("no"));
        });
    }

    [Test]
    public void Files_the_stack_mounts_builds_or_reads_exist()
    {
        var missing = new List<string>();
        foreach (var (name, service) in compose.Services)
        {
            foreach (var volume in ComposeFile.List(service, "volumes").OfType<string>())
            {
                var source = volume.Split(':')[0];
                if (source.StartsWith('.') && !File.Exists(RepoFiles.Path(source)) && !Directory.Exists(RepoFiles.Path(source)))
                    missing.Add($"{name}: volume {source}");
            }

            if (ComposeFile.Map(service, "build") is { } build)
            {
                var dockerfile = Path.Combine(ComposeFile.Scalar(build, "context") ?? ".", ComposeFile.Scalar(build, "dockerfile") ?? "Dockerfile");
                if (!File.Exists(RepoFiles.Path(dockerfile)))
                    missing.Add($"{name}: dockerfile {dockerfile}");
            }

            foreach (var key in new string?[] { null, "sk-test-key" })
            {
                foreach (var envFile in ComposeFile.EnvFiles(service).Select(f => ComposeFile.Interpolate(f, Variables(key))))
                {
                    if (!File.Exists(RepoFiles.Path(envFile)))
                        missing.Add($"{name}: env_file {envFile}");
                }
            }
        }

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Temporal_setup_registers_the_search_attributes_the_workflows_use()
    {
        var script = RepoFiles.Read("deploy/temporal/create-search-attributes.sh");
        var registered = CreateLine().Matches(script).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        var expected = OpsDeskSearchAttributes.All.Select(k => (k.Name, k.ValueType.ToString())).ToList();
        Assert.That(registered, Is.EquivalentTo(expected));

        var setup = compose.Services["temporal-setup"];
        Assert.That(ComposeFile.List(setup, "volumes").OfType<string>(), Has.Some.StartsWith("./deploy/temporal/create-search-attributes.sh:"));
    }

    [Test]
    public void Every_variable_the_compose_file_reads_is_documented_in_env_example_and_nothing_else_is()
    {
        var read = ComposeVariable().Matches(RepoFiles.Read("docker-compose.yml")).Select(m => m.Groups[1].Value).ToHashSet();
        var documented = ComposeFile.ReadEnvFile(RepoFiles.Path("deploy/.env.example")).Keys.ToHashSet();
        Assert.That(documented, Is.EquivalentTo(read));
    }

    /// <summary>The environment a service's container gets: env_file entries, overridden by environment.</summary>
    private static Dictionary<string, string?> SettingsOf(Dictionary<object, object> service, string? openAiKey)
    {
        var variables = Variables(openAiKey);
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var file in ComposeFile.EnvFiles(service))
        {
            foreach (var (k, v) in ComposeFile.ReadEnvFile(RepoFiles.Path(ComposeFile.Interpolate(file, variables))))
                settings[k] = v;
        }

        foreach (var (k, v) in ComposeFile.Environment(service))
            settings[k] = v is null ? null : ComposeFile.Interpolate(v, variables);
        return settings;
    }

    private static Dictionary<string, string?> Variables(string? openAiKey) =>
        openAiKey is null ? [] : new() { ["OPENAI_API_KEY"] = openAiKey };

    private static bool IsStandardVariable(string name) =>
        name == "OPSDESK_BOOTSTRAP_ADMIN_KEY"
        || name == "Urls"
        || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
        || name.StartsWith("DOTNET_", StringComparison.Ordinal)
        || name.StartsWith("Logging__", StringComparison.Ordinal)
        // OpenTelemetry's own variables (OpsDesk.Workflows.Telemetry.TelemetrySettings reads them).
        || name.StartsWith("OTEL_", StringComparison.Ordinal);

    private static bool IsOneShot(Dictionary<object, object> service) => ComposeFile.Scalar(service, "restart") == "no";

    private static bool IsPinned(string image)
    {
        if (image.Contains("@sha256:", StringComparison.Ordinal))
            return true;
        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastSegment.LastIndexOf(':');
        if (colon < 0)
            return false;
        var tag = lastSegment[(colon + 1)..];
        return tag != "latest" && tag.Any(char.IsDigit);
    }

    private static (string Ip, int Port) HostBinding(object port)
    {
        if (port is Dictionary<object, object> longForm)
            return (ComposeFile.Scalar(longForm, "host_ip") ?? "0.0.0.0", int.Parse(ComposeFile.Interpolate(ComposeFile.Scalar(longForm, "published")!, new Dictionary<string, string?>()), System.Globalization.CultureInfo.InvariantCulture));
        var parts = ComposeFile.Interpolate((string)port, new Dictionary<string, string?>()).Split('/')[0].Split(':');
        return parts.Length switch
        {
            3 => (parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)),
            2 => ("0.0.0.0", int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new AssertionException($"port {port} publishes no fixed host port"),
        };
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ComposeVariable();

    [GeneratedRegex(@"^create (\w+) (\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex CreateLine();

    [Test]
    public void The_api_and_the_worker_send_telemetry_to_the_collector_which_forwards_it_to_the_ui()
    {
        var collectorConfig = RepoFiles.Read("deploy/otel/collector.yaml");
        Assert.Multiple(() =>
        {
            foreach (var (name, service) in compose.OpsDeskServices.Where(s => s.Key != "opsdesk-migrate"))
            {
                var settings = SettingsOf(service, openAiKey: null);
                var endpoint = new Uri(settings["OTEL_EXPORTER_OTLP_ENDPOINT"]!);
                Assert.That(compose.Services.Keys, Does.Contain(endpoint.Host), $"{name}: OTLP endpoint host");
                Assert.That(collectorConfig, Does.Contain("0.0.0.0:" + endpoint.Port), $"{name}: the collector listens on the port it sends to");
                Assert.That(settings["OTEL_METRICS_EXPORTER"]!.Split(','), Does.Contain("prometheus"), $"{name}: /metrics for Prometheus");
            }

            Assert.That(collectorConfig, Does.Contain("endpoint: http://observability:4318"), "the collector exports to the UI container");
            Assert.That(ComposeFile.List(compose.Services["otel-collector"], "volumes").OfType<string>(), Has.Some.StartsWith("./deploy/otel/collector.yaml:"));
        });
    }
}
