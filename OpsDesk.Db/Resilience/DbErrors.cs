using System.Net.Sockets;
using Npgsql;

namespace OpsDesk.Db.Resilience;

/// <summary>
/// The one answer to "may this database operation succeed if tried again later?", used by the API's
/// 503 handler, its readiness check, the worker's loops and the CLI. Built on
/// <see cref="NpgsqlException.IsTransient"/> (network errors, timeouts, and the SQL states Npgsql
/// itself calls transient), plus the states a server restart produces that it does not list.
/// </summary>
public static class DbErrors
{
    /// <summary>
    /// SQL states of a server going away or not yet back: admin shutdown (57P01, a restart or
    /// pg_terminate_backend), crash shutdown (57P02), cannot connect now (57P03, starting up or
    /// recovering), too many connections (53300), and the whole connection-exception class (08).
    /// </summary>
    public static bool IsTransientSqlState(string? sqlState) =>
        sqlState is "57P01" or "57P02" or "57P03" or "53300"
        || (sqlState is { Length: 5 } && sqlState.StartsWith("08", StringComparison.Ordinal));

    /// <summary>True when <paramref name="exception"/> (or an exception it wraps) is a transient database failure.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    // A server error: transient only for the states above or those Npgsql lists.
                    return pg.IsTransient || IsTransientSqlState(pg.SqlState);
                case NpgsqlException { IsTransient: true }:
                    return true;
                case NpgsqlException when e.InnerException is null:
                    // Raised by the client when the connection broke mid-protocol (no server error, no I/O
                    // exception kept): the connection is gone, a new one may work.
                    return true;
                case SocketException or TimeoutException:
                    return true;
                default:
                    break;
            }
        }

        return false;
    }

    /// <summary>True for any failure of the database or of the driver (transient or not): what a CLI reports as "database: ..." in one line.</summary>
    public static bool IsDatabaseFailure(Exception exception) =>
        exception is NpgsqlException || IsTransient(exception);
}
