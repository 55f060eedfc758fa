package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The three nodes form one Kafka cluster: three brokers, a topic whose every partition has a leader
 * and three in-sync replicas, and every record written with acks=all is read back by a consumer group.
 */
class KafkaClusterIT {
  private static final String TOPIC = "formed";
  private static final int RECORDS = 300;
  private static final long DEADLINE_MS = 60_000;

  @Test
  void threeBrokersReplicateATopicAndEveryRecordWrittenIsReadBack() throws Exception {
    String bootstrap = System.getProperty("cluster.hosts.broker");
    assertEquals(3, bootstrap.split(",").length, "cluster.hosts.broker lists every node: " + bootstrap);

    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Collection<Node> brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
      assertEquals(
          Set.of(1, 2, 3),
          brokers.stream().map(Node::id).collect(Collectors.toSet()),
          "the brokers of the cluster, by node.id");

      admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
      awaitFullyReplicated(admin);
    }

    Properties producerConfig = new Properties();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    Set<String> written = new TreeSet<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
      for (int i = 0; i < RECORDS; i++) {
        String value = "record-" + i;
        producer.send(new ProducerRecord<>(TOPIC, "key-" + i, value)).get(30, TimeUnit.SECONDS);
        written.add(value);
      }
    }

    Properties consumerConfig = new Properties();
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "formed-readers");
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    Set<String> read = new TreeSet<>();
    Set<Integer> partitions = new TreeSet<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.currentTimeMillis() + DEADLINE_MS;
      while (read.size() < RECORDS && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          read.add(record.value());
          partitions.add(record.partition());
        }
      }
      consumer.commitSync();
    }
    assertEquals(written, read, "every record written with acks=all is read back by the group");
    assertEquals(Set.of(0, 1, 2), partitions, "the records were spread over the 3 partitions");
  }

  /** Polls until every partition of the topic has a leader and 3 in-sync replicas. */
  private static void awaitFullyReplicated(Admin admin) throws Exception {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    String last = "not described yet";
    while (System.currentTimeMillis() < deadline) {
      try {
        TopicDescription topic =
            admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS).get(TOPIC);
        List<TopicPartitionInfo> parts = topic.partitions();
        last = parts.toString();
        if (parts.size() == 3
            && parts.stream().allMatch(p -> p.leader() != null && p.replicas().size() == 3 && p.isr().size() == 3)) {
          return;
        }
      } catch (ExecutionException e) {
        last = e.getCause().toString();
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    fail("topic " + TOPIC + " not fully replicated within " + DEADLINE_MS + " ms: " + last);
  }
}
