using Dapper;
using Npgsql;
using OpsDesk.Db.Events;
using OpsDesk.Db.Sla;

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

    /// <summary>
    /// Completed SLA targets by target and outcome, from the <c>sla.completed</c> events: <c>first_response</c>
    /// and <c>resolution</c> (a single-target clock's event, written before #16, ran until resolution and
    /// counts as one), each <c>met</c> or <c>breached</c>.
    /// </summary>
    public async Task<IReadOnlyList<TargetOutcomeCount>> SlaOutcomesAsync(CancellationToken ct)
    {
        const string sql = $"""
            SELECT CASE WHEN payload->>'target' = 'first_response' THEN 'first_response' ELSE 'resolution' END AS target,
                   payload->>'outcome' AS outcome, count(*) AS count
            FROM ticket_events
            WHERE type = '{EventTypes.SlaCompleted}' GROUP BY 1, 2 ORDER BY 1, 2
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<TargetOutcomeCount>(new CommandDefinition(sql, cancellationToken: ct))).AsList();
    }

    /// <summary>Median seconds from creation to the first <c>ticket.classified</c>, over tickets created in the last <paramref name="days"/> days.</summary>
    public Task<double?> MedianSecondsToTriageAsync(int days, CancellationToken ct) =>
        MedianSecondsToFirstAsync($"type = '{EventTypes.TicketClassified}'", days, ct);

    /// <summary>
    /// Median seconds from creation to the first public agent comment (the SLA's first response), over
    /// tickets created in the last <paramref name="days"/> days that have one.
    /// </summary>
    public Task<double?> MedianSecondsToFirstResponseAsync(int days, CancellationToken ct) =>
        MedianSecondsToFirstAsync(SlaRepository.PublicAgentComment, days, ct);

    /// <summary>Median seconds from a ticket's creation to its first event matching <paramref name="eventPredicate"/> (a constant SQL predicate on <c>ticket_events</c>' columns, which <c>tickets</c> does not share).</summary>
    private async Task<double?> MedianSecondsToFirstAsync(string eventPredicate, int days, CancellationToken ct)
    {
        var sql = $"""
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first.at - t.created_at))
            FROM tickets t
            CROSS JOIN LATERAL (SELECT min(e.occurred_at) AS at FROM ticket_events e
                                WHERE e.ticket_id = t.id AND ({eventPredicate})) first
            WHERE t.created_at >= now() - make_interval(days => @days) AND first.at IS NOT NULL
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<double?>(new CommandDefinition(sql, new { days }, cancellationToken: ct));
    }
}

public sealed record HomeCounts(long MyOpen, long Unassigned, long AwaitingAgent, long SlaWarned, long SlaBreached, long TriageFailed);

public sealed record DayCategoryCount(DateOnly Day, string Category, long Count);

public sealed record LabelCount(string Label, long Count);

/// <summary>Completed SLA targets of one kind (<c>first_response</c>, <c>resolution</c>) with one outcome (<c>met</c>, <c>breached</c>).</summary>
public sealed record TargetOutcomeCount(string Target, string Outcome, long Count);
