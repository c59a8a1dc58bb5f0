using Dapper;
using Npgsql;
using OpsDesk.Db.Events;

namespace OpsDesk.Db.Dashboard;

/// <summary>The counts and aggregates the console's home and dashboard show. Read-only.</summary>
public sealed class DashboardQueries(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    /// <summary>
    /// Counts of the console home, in one round trip, each with the predicate of the queue filter it
    /// links to (partial indexes of 0007 and 0012). <paramref name="agentId"/>: "my" tickets; none without one.
    /// </summary>
    public async Task<HomeCounts> CountsAsync(long? agentId, CancellationToken ct)
    {
        const string sql = """
            SELECT (SELECT count(*) FROM tickets WHERE assignee_id = @agentId AND status = 'open') AS my_open,
                   (SELECT count(*) FROM tickets WHERE assignee_id IS NULL AND status = 'open') AS unassigned,
                   (SELECT count(*) FROM tickets WHERE last_public_comment_by = 'requester') AS awaiting_agent,
                   (SELECT count(*) FROM tickets WHERE sla_state = 'warned') AS sla_warned,
                   (SELECT count(*) FROM tickets WHERE sla_state = 'breached') AS sla_breached,
                   (SELECT count(*) FROM tickets WHERE triage_status = 'failed') AS triage_failed
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<HomeCounts>(new CommandDefinition(sql, new { agentId }, cancellationToken: ct));
    }

    /// <summary>Tickets created per UTC day and category over the last <paramref name="days"/> days (untriaged ones as "untriaged").</summary>
    public async Task<IReadOnlyList<DayCategoryCount>> TicketsPerDayAsync(int days, CancellationToken ct)
    {
        const string sql = """
            SELECT (created_at AT TIME ZONE 'UTC')::date AS day, coalesce(category, 'untriaged') AS category, count(*) AS count
            FROM tickets
            WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(days => @days - 1)
            GROUP BY 1, 2 ORDER BY 1, 2
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<DayCategoryCount>(new CommandDefinition(sql, new { days }, cancellationToken: ct))).AsList();
    }

    /// <summary>Open tickets by priority ("none" until triaged).</summary>
    public async Task<IReadOnlyList<LabelCount>> OpenByPriorityAsync(CancellationToken ct)
    {
        const string sql = "SELECT coalesce(priority, 'none') AS label, count(*) AS count FROM tickets WHERE status = 'open' GROUP BY 1 ORDER BY 1";
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<LabelCount>(new CommandDefinition(sql, cancellationToken: ct))).AsList();
    }

    /// <summary>Completed SLA clocks by outcome (met, breached), from the sla.completed events.</summary>
    public async Task<IReadOnlyList<LabelCount>> SlaOutcomesAsync(CancellationToken ct)
    {
        const string sql = $"""
            SELECT payload->>'outcome' AS label, count(*) AS count FROM ticket_events
            WHERE type = '{EventTypes.SlaCompleted}' GROUP BY 1 ORDER BY 1
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<LabelCount>(new CommandDefinition(sql, cancellationToken: ct))).AsList();
    }

    /// <summary>Median seconds from creation to the first <c>ticket.classified</c>, over tickets created in the last <paramref name="days"/> days.</summary>
    public async Task<double?> MedianSecondsToTriageAsync(int days, CancellationToken ct)
    {
        const string sql = $"""
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first.at - t.created_at))
            FROM tickets t
            CROSS JOIN LATERAL (SELECT min(e.occurred_at) AS at FROM ticket_events e
                                WHERE e.ticket_id = t.id AND e.type = '{EventTypes.TicketClassified}') first
            WHERE t.created_at >= now() - make_interval(days => @days) AND first.at IS NOT NULL
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<double?>(new CommandDefinition(sql, new { days }, cancellationToken: ct));
    }
}

public sealed record HomeCounts(long MyOpen, long Unassigned, long AwaitingAgent, long SlaWarned, long SlaBreached, long TriageFailed);

public sealed record DayCategoryCount(DateOnly Day, string Category, long Count);

public sealed record LabelCount(string Label, long Count);
