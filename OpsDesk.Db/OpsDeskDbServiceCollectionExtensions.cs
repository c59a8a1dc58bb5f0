using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Db.Agents;
using OpsDesk.Db.Auth;
using OpsDesk.Db.Comments;
using OpsDesk.Db.Dashboard;
using OpsDesk.Db.DataProtection;
using OpsDesk.Db.Events;
using OpsDesk.Db.Kb;
using OpsDesk.Db.Outbox;
using OpsDesk.Db.Sla;
using OpsDesk.Db.Tickets;
using OpsDesk.Db.Triage;

namespace OpsDesk.Db;

public static class OpsDeskDbServiceCollectionExtensions
{
    public const string ConnectionStringName = "OpsDesk";

    /// <summary>
    /// Registers the one <see cref="NpgsqlDataSource"/> of the process, all its data access and the
    /// migrator. With <paramref name="migrateOnStart"/> a hosted service applies migrations before
    /// anything else starts, when <c>Database:MigrateOnStart</c> is true.
    /// </summary>
    public static IServiceCollection AddOpsDeskDb(this IServiceCollection services, bool migrateOnStart = true)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ConnectionStringOptions>()
            .Configure<IConfiguration>((o, config) => o.OpsDesk = config.GetConnectionString(ConnectionStringName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.OpsDesk),
                "ConnectionStrings:OpsDesk is not set (environment variable ConnectionStrings__OpsDesk).")
            .Validate(o => ConnectionStringOptions.IsParsable(o.OpsDesk),
                "ConnectionStrings:OpsDesk is not a valid PostgreSQL connection string.")
            .ValidateOnStart();

        services.AddSingleton(sp =>
        {
            var cs = sp.GetRequiredService<IOptions<ConnectionStringOptions>>().Value.OpsDesk!;
            var db = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(cs);
            builder.ConnectionStringBuilder.CommandTimeout = db.CommandTimeoutSeconds;
            builder.ConnectionStringBuilder.ApplicationName ??= AppDomain.CurrentDomain.FriendlyName;
            // Prepare hot statements automatically (as pgbench -M prepared does): PostgreSQL then skips
            // parse and plan on every call. A connection string that sets Max Auto Prepare (0 = off) wins.
            if (!new System.Data.Common.DbConnectionStringBuilder { ConnectionString = cs }.ContainsKey("Max Auto Prepare"))
                builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
            // Spans (when traced) without the "received-first-response" event: one allocation and one
            // exported record less per command, for a timing the span's own duration nearly gives.
            builder.ConfigureTracing(t => t.EnableFirstResponseEvent(false));
            return builder.Build();
        });
        services.TryAddSingleton<DbMigrator>();
        // Every repository of the process, here and nowhere else.
        services.TryAddSingleton<TicketRepository>();
        services.TryAddSingleton<TicketChangeRepository>();
        services.TryAddSingleton<CommentRepository>();
        services.TryAddSingleton<TriageRepository>();
        services.TryAddSingleton<TriageQueries>();
        services.TryAddSingleton<SlaRepository>();
        services.TryAddSingleton<SlaChangeFeed>();
        services.TryAddSingleton<ApiKeyRepository>();
        services.TryAddSingleton<AgentRepository>();
        services.TryAddSingleton<TicketAccessRepository>();
        services.TryAddSingleton<ParkedEventRepository>();
        services.TryAddSingleton<KbRepository>();
        services.TryAddSingleton<KbDeflectionRepository>();
        services.TryAddSingleton<TicketEventFeed>();
        services.TryAddSingleton<DashboardQueries>();
        services.TryAddSingleton<PostgresXmlRepository>();
        services.TryAddSingleton(sp => new OutboxStore(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<IOptions<ConnectionStringOptions>>().Value.OpsDesk!));
        if (migrateOnStart)
            services.AddHostedService<MigrateOnStartService>();
        return services;
    }
}

/// <summary>Connection strings this process needs.</summary>
public sealed class ConnectionStringOptions
{
    public string? OpsDesk { get; set; }

    internal static bool IsParsable(string? cs)
    {
        if (string.IsNullOrWhiteSpace(cs))
            return true; // reported by the "not set" rule
        try
        {
            _ = new NpgsqlConnectionStringBuilder(cs);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>Applies migrations at start-up when <c>Database:MigrateOnStart</c> is true.</summary>
internal sealed class MigrateOnStartService(
    DbMigrator migrator,
    IOptions<DatabaseOptions> options,
    IOptions<ConnectionStringOptions> connectionStrings) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStart)
            return;
        var result = await migrator.MigrateAsync(connectionStrings.Value.OpsDesk!, ct: cancellationToken);
        if (!result.Successful)
            throw new InvalidOperationException($"Database migration failed: {result.Error}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
