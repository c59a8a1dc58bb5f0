using Npgsql;
using OpsDesk.Db;

namespace OpsDesk.Worker.Hosting;

/// <summary>
/// The worker host's data access, registered here and nowhere else in the worker: the process's one
/// <see cref="NpgsqlDataSource"/> with the repositories and the outbox store the relay reads and marks
/// (<c>AddOpsDeskDb</c>). (The CLI's commands open theirs through <c>Commands.CliDatabase</c>.)
/// </summary>
public static class WorkerDataAccess
{
    public static IServiceCollection AddWorkerDataAccess(this IServiceCollection services)
    {
        services.AddOpsDeskDb();
        return services;
    }
}
