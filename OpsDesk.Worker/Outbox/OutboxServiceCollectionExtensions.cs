using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpsDesk.Db;
using OpsDesk.Db.Health;
using OpsDesk.Db.Outbox;

namespace OpsDesk.Worker.Outbox;

public static class OutboxServiceCollectionExtensions
{
    /// <summary>
    /// The outbox relay (a hosted service), its options (<c>Kafka</c>, validated at start), topic
    /// provisioning and the <c>kafka-outbox</c> readiness check. Needs <c>AddOpsDeskDb()</c>.
    /// </summary>
    public static IServiceCollection AddOutboxRelay(this IServiceCollection services)
    {
        services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());
        services.TryAddSingleton<OutboxRelayStatus>();
        services.TryAddSingleton<ITopicProvisioner, KafkaTopicProvisioner>();
        services.AddHostedService<OutboxRelay>();
        services.AddHealthChecks().AddCheck<OutboxHealthCheck>(OutboxHealthCheck.Name, tags: [HealthEndpoints.ReadyTag]);
        return services;
    }
}
