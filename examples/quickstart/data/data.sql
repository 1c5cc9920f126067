-- The quickstart's source tables: four users over eight days (2023-11-24 .. 2023-12-01),
-- small and fixed so that every run gives the same rows. `make demo` loads it with
-- `chrononc sql -f`; partitions are days (ds, yyyy-MM-dd), ts is epoch milliseconds (UTC).
CREATE DATABASE IF NOT EXISTS data;
CREATE DATABASE IF NOT EXISTS quickstart;
DROP TABLE IF EXISTS data.purchases;
DROP TABLE IF EXISTS data.returns;
DROP TABLE IF EXISTS data.users;
DROP TABLE IF EXISTS data.checkouts;
CREATE TABLE data.purchases (user_id STRING, purchase_price DOUBLE, ts BIGINT) PARTITIONED BY (ds STRING);
CREATE TABLE data.returns (user_id STRING, refund_amt DOUBLE, ts BIGINT) PARTITIONED BY (ds STRING);
CREATE TABLE data.users (user_id STRING, account_created_ds STRING, email_verified BOOLEAN) PARTITIONED BY (ds STRING);
CREATE TABLE data.checkouts (user_id STRING, ts BIGINT) PARTITIONED BY (ds STRING);
INSERT INTO data.purchases PARTITION (ds='2023-11-24') VALUES ('u1', 10.0, 1700816400000), ('u2', 40.0, 1700832600000);
INSERT INTO data.purchases PARTITION (ds='2023-11-25') VALUES ('u1', 12.5, 1700902800000);
INSERT INTO data.purchases PARTITION (ds='2023-11-26') VALUES ('u1', 15.0, 1700989200000), ('u2', 38.0, 1701005400000);
INSERT INTO data.purchases PARTITION (ds='2023-11-28') VALUES ('u1', 20.0, 1701162000000), ('u2', 36.0, 1701178200000);
INSERT INTO data.purchases PARTITION (ds='2023-11-29') VALUES ('u1', 22.5, 1701248400000), ('u3', 99.99, 1701244800000), ('u3', 0.01, 1701288900000);
INSERT INTO data.purchases PARTITION (ds='2023-11-30') VALUES ('u1', 25.0, 1701334800000), ('u2', 34.0, 1701351000000);
INSERT INTO data.purchases PARTITION (ds='2023-12-01') VALUES ('u1', 27.5, 1701421200000);
INSERT INTO data.returns PARTITION (ds='2023-11-26') VALUES ('u1', 12.5, 1701021600000);
INSERT INTO data.returns PARTITION (ds='2023-11-28') VALUES ('u2', 36.0, 1701165600000);
INSERT INTO data.returns PARTITION (ds='2023-11-30') VALUES ('u1', 5.0, 1701342000000);
INSERT INTO data.users PARTITION (ds='2023-11-24') VALUES ('u1', '2023-01-15', true), ('u2', '2023-06-02', false), ('u3', '2023-11-20', true);
INSERT INTO data.users PARTITION (ds='2023-11-25') VALUES ('u1', '2023-01-15', true), ('u2', '2023-06-02', false), ('u3', '2023-11-20', true);
INSERT INTO data.users PARTITION (ds='2023-11-26') VALUES ('u1', '2023-01-15', true), ('u2', '2023-06-02', false), ('u3', '2023-11-20', true);
INSERT INTO data.users PARTITION (ds='2023-11-27') VALUES ('u1', '2023-01-15', true), ('u2', '2023-06-02', false), ('u3', '2023-11-20', true), ('u4', '2023-11-27', false);
INSERT INTO data.users PARTITION (ds='2023-11-28') VALUES ('u1', '2023-01-15', true), ('u2', '2023-06-02', true), ('u3', '2023-11-20', true), ('u4', '2023-11-27', false);
INSERT INTO data.users PARTITION (ds='2023-11-29') VALUES ('u1', '2023-01-15', true), ('u2', '2023-06-02', true), ('u3', '2023-11-20', true), ('u4', '2023-11-27', false);
INSERT INTO data.users PARTITION (ds='2023-11-30') VALUES ('u1', '2023-01-15', true), ('u2', '2023-06-02', true), ('u3', '2023-11-20', true), ('u4', '2023-11-27', false);
INSERT INTO data.users PARTITION (ds='2023-12-01') VALUES ('u1', '2023-01-15', true), ('u2', '2023-06-02', true), ('u3', '2023-11-20', true), ('u4', '2023-11-27', false);
INSERT INTO data.checkouts PARTITION (ds='2023-11-29') VALUES ('u1', 1701259200000), ('u3', 1701291600000);
INSERT INTO data.checkouts PARTITION (ds='2023-11-30') VALUES ('u2', 1701334800000), ('u4', 1701356400000);
INSERT INTO data.checkouts PARTITION (ds='2023-12-01') VALUES ('u1', 1701424800000), ('u2', 1701446400000), ('u3', 1701414000000);
