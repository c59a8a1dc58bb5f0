using Dapper;
using Npgsql;

namespace OpsDesk.Db.Kb;

/// <summary>Deflection records of the portal's create form, one row per form session (its key).</summary>
public sealed class KbDeflectionRepository(NpgsqlDataSource dataSource) : DataAccess(dataSource)
{
    /// <summary>Most article ids one record may name (the portal shows three at a time).</summary>
    public const int MaxShown = 10;

    /// <summary>
    /// Records (or updates) a session: the articles shown are merged, the opened article and
    /// "submitted" only move forward (once submitted, a late "not submitted" does not undo it).
    /// Only ids of public articles are kept. Returns the row id.
    /// </summary>
    public async Task<long> RecordAsync(string sessionKey, IReadOnlyCollection<long> shownIds, long? openedId, bool submitted, CancellationToken ct)
    {
        const string sql = """
            WITH shown AS (SELECT coalesce(array_agg(id ORDER BY id), '{}') AS ids FROM kb_docs WHERE id = ANY(@shownIds) AND visibility = 'public'),
                 opened AS (SELECT id FROM kb_docs WHERE id = @openedId AND visibility = 'public')
            INSERT INTO kb_deflections (session_key, shown_ids, opened_id, submitted)
            SELECT @sessionKey, shown.ids, (SELECT id FROM opened), @submitted FROM shown
            ON CONFLICT (session_key) DO UPDATE SET
                shown_ids = ARRAY(SELECT DISTINCT unnest(kb_deflections.shown_ids || EXCLUDED.shown_ids) ORDER BY 1),
                opened_id = coalesce(EXCLUDED.opened_id, kb_deflections.opened_id),
                submitted = kb_deflections.submitted OR EXCLUDED.submitted,
                updated_at = now()
            RETURNING id
            """;
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<long>(new CommandDefinition(
            sql, new { sessionKey, shownIds = shownIds.ToArray(), openedId, submitted }, cancellationToken: ct));
    }
}
