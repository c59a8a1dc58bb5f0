using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Db;
using OpsDesk.Worker.Outbox;

namespace OpsDesk.Worker.Hosting;

/// <summary>
/// The worker host's data access, registered here and nowhere else in the worker: the process's one
/// <see cref="NpgsqlDataSource"/> with the repositories (<c>AddOpsDeskDb</c>) and the outbox store
/// the relay reads and marks. (The CLI's commands open theirs through <c>Commands.CliDatabase</c>.)
/// </summary>
public static class WorkerDataAccess
{
    public static IServiceCollection AddWorkerDataAccess(this IServiceCollection services)
    {
        services.AddOpsDeskDb();
        services.TryAddSingleton(sp => new OutboxStore(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<IOptions<ConnectionStringOptions>>().Value.OpsDesk!));
        return services;
    }
}
