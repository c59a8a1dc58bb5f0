using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace OpsDesk.Worker.Commands;

/// <summary>Connection options shared by every command; they override environment and configuration.</summary>
public static class CommonOptions
{
    public static readonly Option<string?> ConnectionString = new("--connection-string")
    {
        Description = "PostgreSQL connection string (default: ConnectionStrings__OpsDesk).",
        Recursive = true,
    };

    public static readonly Option<string?> TemporalAddress = new("--temporal-address")
    {
        Description = "Temporal frontend host:port (default: Temporal__Address or localhost:7233).",
        Recursive = true,
    };

    public static readonly Option<string?> Namespace = new("--namespace")
    {
        Description = "Temporal namespace (default: Temporal__Namespace or default).",
        Recursive = true,
    };

    public static IReadOnlyList<Option> All => [ConnectionString, TemporalAddress, Namespace];

    /// <summary>The most a <c>--limit</c> of the triage commands takes.</summary>
    public const int MaxLimit = 1000;

    /// <summary>A fresh <c>--limit</c> (an option belongs to one command): 1 to <paramref name="max"/> <paramref name="what"/>.</summary>
    public static Option<int> Limit(int defaultValue, int max = MaxLimit, string what = "tickets") =>
        CliParsers.Number("--limit", defaultValue, 1, max, $"At most this many {what}.");

    /// <summary>Command-line values as configuration overrides, so they bind like any other source.</summary>
    public static Dictionary<string, string?> Overrides(ParseResult parse)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (parse.GetValue(ConnectionString) is { } cs)
            values["ConnectionStrings:OpsDesk"] = cs;
        if (parse.GetValue(TemporalAddress) is { } address)
            values["Temporal:Address"] = address;
        if (parse.GetValue(Namespace) is { } ns)
            values["Temporal:Namespace"] = ns;
        return values;
    }

    /// <summary>appsettings, environment and command-line overrides, in that order.</summary>
    public static IConfiguration BuildConfiguration(ParseResult parse) =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(Overrides(parse))
            .Build();
}
