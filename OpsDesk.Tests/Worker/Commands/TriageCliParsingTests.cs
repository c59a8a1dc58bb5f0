using OpsDesk.Tests.Support;
using OpsDesk.Worker.Commands;

namespace OpsDesk.Tests.Worker.Commands;

/// <summary>Parsing, help and usage errors of <c>opsdesk triage</c>: nothing here reaches a database or Temporal.</summary>
public sealed class TriageCliParsingTests
{
    private static Task<CliRun.Result> RunAsync(params string[] args) =>
        CliRun.RunAsync(new RecordingTemporalClient(), null, args);

    [TestCase("failed", "--since", "--limit", "--output")]
    [TestCase("retry", "--all-failed", "--since", "--dry-run", "--yes", "--rate", "--reason", "--output")]
    [TestCase("replay", "--ticket", "--history", "--query", "--workflow-id", "--timeout", "--output")]
    [TestCase("show", "ticketId", "--output")]
    public async Task Help_of_each_triage_command_exits_0_and_lists_its_options(string command, params string[] options)
    {
        var result = await RunAsync("triage", command, "--help");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok), result.ToString());
        Assert.Multiple(() =>
        {
            foreach (var option in options)
                Assert.That(result.Out, Does.Contain(option), $"help of `triage {command}` lists {option}");
            Assert.That(result.Out, Does.Contain("--connection-string"), "connection options are inherited");
            Assert.That(result.Out, Does.Contain("--temporal-address"));
        });
    }

    [Test]
    public async Task Help_of_the_triage_group_lists_its_subcommands()
    {
        var result = await RunAsync("triage", "--help");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok));
        Assert.That(result.Out, Does.Contain("failed").And.Contain("retry").And.Contain("replay").And.Contain("show"));
    }

    [TestCase("failed")]
    [TestCase("show", "1")]
    [TestCase("retry", "1")]
    public async Task A_triage_command_with_an_unusable_temporal_address_exits_2_naming_the_key(string command, params string[] rest)
    {
        var result = await CliRun.RunAsync(new RecordingTemporalClient(), TestDatabase.ConnectionString,
            ["triage", command, .. rest, "--temporal-address", "not a host"]);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage), result.ToString());
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), result.ToString());
        Assert.That(lines[0], Does.StartWith("error: ").And.Contain("Temporal:Address"));
    }

    [Test]
    public async Task Migrate_is_still_under_the_same_parser()
    {
        var result = await RunAsync("migrate", "--help");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Ok));
        Assert.That(result.Out, Does.Contain("migrations"));
    }

    [Test]
    public async Task An_unknown_option_is_bad_usage_naming_the_option()
    {
        var result = await RunAsync("triage", "failed", "--bogus");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(result.Err, Does.Contain("--bogus"));
    }

    [Test]
    public async Task Show_without_a_ticket_id_is_bad_usage()
    {
        var result = await RunAsync("triage", "show");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(result.Err, Does.Contain("Required argument missing").And.Contain("show"));
    }

    [Test]
    public async Task Show_with_a_ticket_id_that_is_not_a_number_is_bad_usage()
    {
        var result = await RunAsync("triage", "show", "abc");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(result.Err, Does.Contain("abc"));
    }

    [Test]
    public async Task Retry_with_nothing_to_retry_is_bad_usage()
    {
        var result = await RunAsync("triage", "retry");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(result.Err, Does.Contain("nothing to retry"));
    }

    [Test]
    public async Task Retry_with_ids_and_all_failed_is_bad_usage()
    {
        var result = await RunAsync("triage", "retry", "12", "--all-failed");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(result.Err, Does.Contain("not both"));
    }

    [TestCase("0")]
    [TestCase("-2")]
    [TestCase("5000")]
    public async Task Retry_with_a_rate_out_of_range_is_bad_usage(string rate)
    {
        var result = await RunAsync("triage", "retry", "12", "--rate", rate);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(result.Err, Does.Contain("--rate"));
    }

    [TestCase("yesterday")]
    [TestCase("24")]
    [TestCase("0h")]
    [TestCase("1w")]
    [TestCase("-3d")]
    public async Task A_since_that_is_not_a_duration_is_bad_usage(string since)
    {
        var result = await RunAsync("triage", "failed", "--since", since);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(result.Err, Does.Contain("--since").And.Contain("30m, 24h or 7d"));
    }

    [Test]
    public async Task An_output_other_than_table_or_json_is_bad_usage()
    {
        var result = await RunAsync("triage", "failed", "--output", "xml");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(result.Err, Does.Contain("xml"));
    }

    [TestCase("0")]
    [TestCase("1001")]
    public async Task A_limit_out_of_range_is_bad_usage(string limit)
    {
        var result = await RunAsync("triage", "failed", "--limit", limit);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(result.Err, Does.Contain("--limit"));
    }

    [Test]
    public async Task Replay_with_nothing_to_replay_is_bad_usage()
    {
        var result = await RunAsync("triage", "replay");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(result.Err, Does.Contain("nothing to replay"));
    }

    [Test]
    public async Task Replay_with_a_workflow_id_for_several_files_is_bad_usage()
    {
        var result = await RunAsync("triage", "replay", "--history", "a.json", "--history", "b.json", "--workflow-id", "triage-1");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(result.Err, Does.Contain("--workflow-id"));
    }

    [Test]
    public async Task A_command_that_needs_the_database_without_one_configured_is_bad_usage()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ConnectionStrings__OpsDesk")))
            Assert.Ignore("ConnectionStrings__OpsDesk is set in this environment");

        var result = await RunAsync("triage", "failed");

        Assert.That(result.ExitCode, Is.EqualTo(Cli.BadUsage));
        Assert.That(result.Err, Does.Contain("ConnectionStrings__OpsDesk").And.Contain("--connection-string"));
    }

    [Test]
    public async Task A_database_that_cannot_be_reached_is_one_line_on_stderr_and_exit_code_1()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await CliRun.RunAsync(new RecordingTemporalClient(), $"Host=127.0.0.1;Port={port};Username=x;Password=x;Database=x;Timeout=3", ["triage", "show", "1"]);

        Assert.That(result.ExitCode, Is.EqualTo(Cli.Failed), result.ToString());
        Assert.That(result.Err, Does.StartWith("error: database:"));
        Assert.That(result.Err, Does.Not.Contain("   at "), "no stack trace");
    }
}
